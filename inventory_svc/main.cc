// inventory_svc: products, warehouses, stock, reservations, backorders, low-stock alerts.
//   bazel run //inventory_svc -- --listen=127.0.0.1:50052 --db=var/inventory_svc.db
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_access.h"
#include "inventory_svc/inventory_service.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/purchasing_service.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_main.h"

ABSL_FLAG(absl::Duration, reservation_sweep_interval, absl::Seconds(30),
          "how often reservations past their expires_at are released");
ABSL_FLAG(absl::Duration, purchase_overdue_interval, absl::Minutes(10),
          "how often sent purchase orders past their expected date are flagged overdue");
ABSL_FLAG(std::string, purchase_approval_limits, "OPS=1000000",
          "the most each role may approve on one purchase order, in minor units "
          "(ROLE=amount,...); ADMIN is unlimited unless listed, unlisted roles approve nothing");

int main(int argc, char** argv) {
  oms::ServiceDefinition definition;
  definition.name = "inventory_svc";
  definition.default_port = 50052;
  definition.migrations = {{"inventory", &oms::inventory::store::Migrations()}};
  definition.capabilities = {"catalogue",        "stock",         "ledger",
                             "allocation",       "reservations",  "backorders",
                             "low_stock_alerts", "replenishment", "purchasing"};
  definition.make_parts = [](oms::ServiceHost& host) -> absl::StatusOr<oms::ServiceParts> {
    absl::StatusOr<oms::auth::ApprovalLimits> limits =
        oms::auth::ApprovalLimits::Parse(absl::GetFlag(FLAGS_purchase_approval_limits));
    if (!limits.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--purchase_approval_limits: ", limits.status().message()));
    }
    oms::ServiceParts parts;
    auto service = std::make_unique<oms::inventory::InventoryService>(&host);
    auto purchasing = std::make_unique<oms::inventory::PurchasingService>(
        &host, &service->ledger(), &service->replenishment(), *std::move(limits));
    oms::inventory::PurchaseOrders* orders = &purchasing->orders();
    parts.tasks.push_back(std::make_unique<oms::PeriodicTask>(
        "purchase orders overdue", absl::GetFlag(FLAGS_purchase_overdue_interval),
        [orders] { return orders->FlagOverdue().status(); }));
    oms::inventory::Allocations* allocations = &service->allocations();
    parts.tasks.push_back(std::make_unique<oms::PeriodicTask>(
        "reservation expiry", absl::GetFlag(FLAGS_reservation_sweep_interval),
        [allocations] { return allocations->ExpireReservations().status(); }));
    parts.services.push_back({std::move(service),
                              oms::inventory::v1::InventoryService::service_full_name(),
                              &oms::inventory::InventoryAccess()});
    parts.services.push_back({std::move(purchasing),
                              oms::inventory::v1::PurchasingService::service_full_name(),
                              &oms::inventory::PurchasingAccess()});
    parts.services.push_back(oms::PersonalRecordsPart(std::make_unique<oms::PersonalRecordsService>(
        "inventory_svc", &host.db(), oms::PersonalDataPlan())));
    return parts;
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
