// An order's status: moves along the state machine (order_state_machine.h), each with its
// history row and OrderStatusChanged event; cancellation with its reason, refused for an
// order the orchestrator runs (it compensates too). Thread-safe.
#ifndef OMS_ORDER_SVC_ORDER_STATUS_H_
#define OMS_ORDER_SVC_ORDER_STATUS_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/server/service_host.h"

namespace oms::order {

class OrderStatusChanges {
 public:
  explicit OrderStatusChanges(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Order> TransitionOrder(const v1::TransitionOrderRequest& request);
  absl::StatusOr<v1::Order> CancelOrder(const v1::CancelOrderRequest& request);

 private:
  // Moves `order` to `to` inside `s`: status history row, OrderStatusChanged event and,
  // for CANCELLED, the OrderCancelled event.
  absl::Status ApplyTransition(Session& s, v1::Order& order, v1::OrderStatus to,
                               const std::string& actor, const std::string& reason);

  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_STATUS_H_
