// logistics_svc: serves health, reflection, EventFeed and GetServiceInfo over its migrated store.
// Its domain RPCs arrive with issue 4.
//   bazel run //logistics_svc -- --listen=127.0.0.1:50053 --db=var/logistics_svc.db
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "platform/info_only_service.h"
#include "platform/service_main.h"

int main(int argc, char** argv) {
  using Service = oms::InfoOnlyService<oms::logistics::v1::LogisticsService::Service>;
  return oms::RunInfoOnlyServiceMain<Service>(
      argc, argv, "logistics_svc", 50053,
      oms::logistics::v1::LogisticsService::service_full_name());
}
