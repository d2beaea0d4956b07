// Stock and its ledger: on hand and reserved per sku and warehouse, every adjustment with
// its reason, and the invariant check that the two agree. A receipt serves the backorder
// queue in the same transaction. Thread-safe.
#ifndef OMS_INVENTORY_SVC_STOCK_LEDGER_H_
#define OMS_INVENTORY_SVC_STOCK_LEDGER_H_

#include "absl/status/statusor.h"
#include "inventory_svc/backorder_queue.h"
#include "inventory_svc/replenishment.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class StockLedger {
 public:
  StockLedger(ServiceHost* host, BackorderQueue* queue, Replenishment* replenishment)
      : host_(host), queue_(queue), replenishment_(replenishment) {}

  absl::StatusOr<v1::StockSummary> GetStock(const v1::GetStockRequest& request);
  absl::StatusOr<v1::ListStockResponse> ListStock(const v1::ListStockRequest& request);
  // Receipts, returns, damage, counts: never lets on hand fall below what is reserved.
  // Stock that becomes available goes to the backorder queue first, in the same transaction.
  absl::StatusOr<v1::AdjustStockResponse> AdjustStock(const v1::AdjustStockRequest& request);
  // AdjustStock's effect inside the caller's transaction, for a checked request (purchase
  // order receipts); the idempotency key is the caller's business.
  absl::StatusOr<v1::AdjustStockResponse> Apply(Session& s, const v1::AdjustStockRequest& request);
  absl::StatusOr<v1::ListAdjustmentsResponse> ListAdjustments(
      const v1::ListAdjustmentsRequest& request);
  absl::StatusOr<v1::CheckInvariantsResponse> CheckInvariants();

 private:
  ServiceHost* host_;
  BackorderQueue* queue_;
  Replenishment* replenishment_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_STOCK_LEDGER_H_
