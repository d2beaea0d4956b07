// order_svc: orders, lines, customer snapshot, status and modification history.
//   bazel run //order_svc -- --listen=127.0.0.1:50051 --db=var/order_svc.db
#include "order_svc/order_access.h"
#include "order_svc/order_personal_data.h"
#include "order_svc/order_service.h"
#include "order_svc/order_store.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_main.h"

int main(int argc, char** argv) {
  oms::ServiceDefinition definition;
  definition.name = "order_svc";
  definition.default_port = 50051;
  definition.migrations = {{"order", &oms::order::store::Migrations()}};
  definition.capabilities = {"orders", "status_history", "modification_history", "payments"};
  definition.make_parts = [](oms::ServiceHost& host) {
    oms::ServiceParts parts;
    parts.services.push_back({std::make_unique<oms::order::OrderService>(&host),
                              oms::order::v1::OrderService::service_full_name(),
                              &oms::order::OrderAccess()});
    parts.services.push_back(oms::PersonalRecordsPart(std::make_unique<oms::PersonalRecordsService>(
        "order_svc", &host.db(), oms::order::OrderPersonalData())));
    return absl::StatusOr<oms::ServiceParts>(std::move(parts));
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
