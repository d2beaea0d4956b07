// The book of orders: intake (validated, priced, one order per channel reference) and
// lookup. Every change commits with its history row and outbox event in one transaction;
// mutating calls honour idempotency keys. Plain protos in and out. Thread-safe.
#ifndef OMS_ORDER_SVC_ORDER_BOOK_H_
#define OMS_ORDER_SVC_ORDER_BOOK_H_

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/server/service_host.h"

namespace oms::order {

class OrderBook {
 public:
  explicit OrderBook(ServiceHost* host) : host_(host) {}

  // Validates and prices a new order. The same (channel, external_reference) sent again
  // returns the existing order; a different order reusing the reference is ALREADY_EXISTS.
  absl::StatusOr<v1::Order> CreateOrder(const v1::CreateOrderRequest& request);
  absl::StatusOr<v1::Order> GetOrder(const v1::GetOrderRequest& request);
  absl::StatusOr<v1::ListOrdersResponse> ListOrders(const v1::ListOrdersRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_BOOK_H_
