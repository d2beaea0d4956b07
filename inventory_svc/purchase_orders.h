// Purchase orders from draft to receipt: drafts made from replenishment suggestions and the
// suppliers' terms, approval within the approver's limit, sending (an event notify_svc
// delivers to the supplier with the order as CSV), receipts that are RECEIPTs in the stock
// ledger and fill the backorder queue, cancel, close short, and the overdue alert.
// Thread-safe.
#ifndef OMS_INVENTORY_SVC_PURCHASE_ORDERS_H_
#define OMS_INVENTORY_SVC_PURCHASE_ORDERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "inventory_svc/replenishment.h"
#include "inventory_svc/stock_ledger.h"
#include "oms/inventory/v1/purchasing.pb.h"
#include "platform/security/approval_limits.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class PurchaseOrders {
 public:
  PurchaseOrders(ServiceHost* host, StockLedger* ledger, Replenishment* replenishment,
                 auth::ApprovalLimits limits)
      : host_(host), ledger_(ledger), replenishment_(replenishment), limits_(std::move(limits)) {}

  absl::StatusOr<v1::DraftPurchaseOrdersResponse> Draft(
      const v1::DraftPurchaseOrdersRequest& request);
  absl::StatusOr<v1::PurchaseOrder> Get(const v1::GetPurchaseOrderRequest& request);
  absl::StatusOr<v1::ListPurchaseOrdersResponse> List(const v1::ListPurchaseOrdersRequest& request);
  // DRAFT -> APPROVED, by a caller whose approval limit covers the total.
  absl::StatusOr<v1::PurchaseOrder> Approve(const v1::ApprovePurchaseOrderRequest& request);
  // APPROVED -> SENT: expected_at is set from the suppliers' lead times.
  absl::StatusOr<v1::PurchaseOrder> Send(const v1::SendPurchaseOrderRequest& request);
  // SENT or PARTIALLY_RECEIVED -> PARTIALLY_RECEIVED or RECEIVED.
  absl::StatusOr<v1::ReceivePurchaseOrderResponse> Receive(
      const v1::ReceivePurchaseOrderRequest& request);
  // Before any receipt -> CANCELLED.
  absl::StatusOr<v1::PurchaseOrder> Cancel(const v1::CancelPurchaseOrderRequest& request);
  // PARTIALLY_RECEIVED -> CLOSED.
  absl::StatusOr<v1::PurchaseOrder> Close(const v1::ClosePurchaseOrderRequest& request);
  // Sent orders past their expected date get one PurchaseOrderOverdue each.
  absl::StatusOr<v1::FlagOverduePurchaseOrdersResponse> FlagOverdue();

 private:
  // Loads the order for a status change in `s`; NOT_FOUND when there is none.
  absl::StatusOr<v1::PurchaseOrder> Load(Session& s, const std::string& id);
  // Saves `order` with its new status and appends PurchaseOrderChanged.
  absl::Status SaveChanged(Session& s, v1::PurchaseOrder& order);

  ServiceHost* host_;
  StockLedger* ledger_;
  Replenishment* replenishment_;
  auth::ApprovalLimits limits_;
};

// The purchase order as the CSV document sent to the supplier.
std::string PurchaseOrderCsv(const v1::PurchaseOrder& order);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_PURCHASE_ORDERS_H_
