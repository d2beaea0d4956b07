// inventory_svc: products, warehouses, stock, reservations, backorders, low-stock alerts.
//   bazel run //inventory_svc -- --listen=127.0.0.1:50052 --db=var/inventory_svc.db
#include "absl/flags/flag.h"
#include "inventory_svc/inventory_access.h"
#include "inventory_svc/inventory_service.h"
#include "inventory_svc/inventory_store.h"
#include "platform/server/service_main.h"

ABSL_FLAG(absl::Duration, reservation_sweep_interval, absl::Seconds(30),
          "how often reservations past their expires_at are released");

int main(int argc, char** argv) {
  oms::ServiceDefinition definition;
  definition.name = "inventory_svc";
  definition.default_port = 50052;
  definition.migrations = {{"inventory", &oms::inventory::store::Migrations()}};
  definition.capabilities = {"catalogue",    "stock",      "ledger",           "allocation",
                             "reservations", "backorders", "low_stock_alerts", "replenishment"};
  definition.make_parts = [](oms::ServiceHost& host) {
    oms::ServiceParts parts;
    auto service = std::make_unique<oms::inventory::InventoryService>(&host);
    oms::inventory::Allocations* allocations = &service->allocations();
    parts.tasks.push_back(std::make_unique<oms::PeriodicTask>(
        "reservation expiry", absl::GetFlag(FLAGS_reservation_sweep_interval),
        [allocations] { return allocations->ExpireReservations().status(); }));
    parts.services.push_back({std::move(service),
                              oms::inventory::v1::InventoryService::service_full_name(),
                              &oms::inventory::InventoryAccess()});
    return absl::StatusOr<oms::ServiceParts>(std::move(parts));
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
