#include "orchestrator_svc/workflow_context.h"

#include "absl/strings/str_cat.h"

namespace oms::orchestrator {

absl::Duration OrchestratorOptions::For(Deadline deadline) const {
  switch (deadline) {
    case Deadline::kReview:
      return review_sla;
    case Deadline::kPayment:
      return payment_timeout;
    case Deadline::kProcessing:
      return processing_timeout;
    case Deadline::kStockShortage:
      return stock_shortage_after;
    case Deadline::kPickup:
      return pickup_timeout;
    case Deadline::kNone:
      break;
  }
  return absl::InfiniteDuration();
}

absl::Time Parked() { return absl::FromUnixSeconds(kParkedUnixSeconds); }

std::string StepKey(const std::string& order_id, const std::string& step) {
  return absl::StrCat(order_id, ":", step);
}

absl::StatusOr<inventory::v1::Product> WorkflowContext::Product(const std::string& sku) {
  return products_.Get(sku, [&] { return peers_.inventory->GetProduct(sku); });
}

absl::StatusOr<inventory::v1::Warehouse> WorkflowContext::Warehouse(
    const std::string& warehouse_id) {
  return warehouses_.Get(warehouse_id,
                         [&] { return peers_.inventory->GetWarehouse(warehouse_id); });
}

}  // namespace oms::orchestrator
