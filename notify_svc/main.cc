// notify_svc: serves health, reflection, EventFeed and GetServiceInfo over its migrated store.
// Its domain RPCs arrive with issue 5.
//   bazel run //notify_svc -- --listen=127.0.0.1:50054 --db=var/notify_svc.db
#include "oms/notify/v1/notify.grpc.pb.h"
#include "platform/info_only_service.h"
#include "platform/service_main.h"

int main(int argc, char** argv) {
  using Service = oms::InfoOnlyService<oms::notify::v1::NotifyService::Service>;
  return oms::RunInfoOnlyServiceMain<Service>(argc, argv, "notify_svc", 50054,
                                              oms::notify::v1::NotifyService::service_full_name());
}
