// orchestrator_svc: serves health, reflection, EventFeed and GetServiceInfo over its migrated
// store. Its domain RPCs arrive with issue 6.
//   bazel run //orchestrator_svc -- --listen=127.0.0.1:50050 --db=var/orchestrator_svc.db
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "platform/info_only_service.h"
#include "platform/service_main.h"

int main(int argc, char** argv) {
  using Service = oms::InfoOnlyService<oms::orchestrator::v1::OrchestratorService::Service>;
  return oms::RunInfoOnlyServiceMain<Service>(
      argc, argv, "orchestrator_svc", 50050,
      oms::orchestrator::v1::OrchestratorService::service_full_name());
}
