// analytics_svc: serves health, reflection, EventFeed and GetServiceInfo over its migrated store.
// Its domain RPCs arrive with issue 7.
//   bazel run //analytics_svc -- --listen=127.0.0.1:50055 --db=var/analytics_svc.db
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "platform/info_only_service.h"
#include "platform/service_main.h"

int main(int argc, char** argv) {
  using Service = oms::InfoOnlyService<oms::analytics::v1::AnalyticsService::Service>;
  return oms::RunInfoOnlyServiceMain<Service>(
      argc, argv, "analytics_svc", 50055,
      oms::analytics::v1::AnalyticsService::service_full_name());
}
