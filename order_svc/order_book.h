#ifndef OMS_ORDER_SVC_ORDER_BOOK_H_
#define OMS_ORDER_SVC_ORDER_BOOK_H_

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/service_host.h"

namespace oms::order {

// The order domain: intake, lookup, edits before allocation, the status machine and
// payment state. Every change commits together with its history rows and its outbox event
// in one transaction; mutating calls honour idempotency keys. Plain protos in and out, no
// gRPC types. Thread-safe (the store serialises writers).
class OrderBook {
 public:
  explicit OrderBook(ServiceHost* host) : host_(host) {}

  // Validates and prices a new order. The same (channel, external_reference) sent again
  // returns the existing order; a different order reusing the reference is ALREADY_EXISTS.
  absl::StatusOr<v1::Order> CreateOrder(const v1::CreateOrderRequest& request);
  absl::StatusOr<v1::Order> GetOrder(const v1::GetOrderRequest& request);
  absl::StatusOr<v1::ListOrdersResponse> ListOrders(const v1::ListOrdersRequest& request);
  absl::StatusOr<v1::GetOrderHistoryResponse> GetOrderHistory(
      const v1::GetOrderHistoryRequest& request);
  absl::StatusOr<v1::Order> UpdateOrder(const v1::UpdateOrderRequest& request);
  absl::StatusOr<v1::GetModificationHistoryResponse> GetModificationHistory(
      const v1::GetModificationHistoryRequest& request);
  absl::StatusOr<v1::Order> TransitionOrder(const v1::TransitionOrderRequest& request);
  absl::StatusOr<v1::Order> CancelOrder(const v1::CancelOrderRequest& request);
  // Allowed until the order ships; recorded as a modification.
  absl::StatusOr<v1::Order> SubstituteLine(const v1::SubstituteLineRequest& request);
  absl::StatusOr<v1::Order> RecordPayment(const v1::RecordPaymentRequest& request);

 private:
  // Moves `order` to `to` inside `s`: status history row, OrderStatusChanged event and,
  // for CANCELLED, the OrderCancelled event.
  absl::Status ApplyTransition(Session& s, v1::Order& order, v1::OrderStatus to,
                               const std::string& actor, const std::string& reason);

  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_BOOK_H_
