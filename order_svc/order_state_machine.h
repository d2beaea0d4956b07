#ifndef OMS_ORDER_SVC_ORDER_STATE_MACHINE_H_
#define OMS_ORDER_SVC_ORDER_STATE_MACHINE_H_

#include <vector>

#include "absl/status/status.h"
#include "oms/order/v1/order.pb.h"

namespace oms::order {

// The order lifecycle (docs/ORDER_LIFECYCLE.md):
//   RECEIVED -> PENDING_REVIEW -> APPROVED -> ALLOCATED | BACKORDERED -> PARTIALLY_SHIPPED
//   -> SHIPPED -> DELIVERED -> COMPLETED; returns DELIVERED|COMPLETED -> RETURN_REQUESTED
//   -> RETURNED -> REFUNDED; CANCELLED before shipment; REJECTED from review; ON_HOLD from
//   any open state, resuming to the state it was held from (or where that state may go).

// The statuses `from` may move to. `held_from` matters only when `from` is ON_HOLD.
std::vector<v1::OrderStatus> AllowedTransitions(v1::OrderStatus from, v1::OrderStatus held_from);

// OK, or FAILED_PRECONDITION naming both states.
absl::Status CheckTransition(const v1::Order& order, v1::OrderStatus to);

// Orders may be edited (address, contact, lines) only before stock is allocated.
bool IsEditable(const v1::Order& order);
// Amending (the orchestrator's AmendOrder) is allowed until the order ships: also ALLOCATED
// and BACKORDERED (and ON_HOLD from them).
bool IsAmendable(const v1::Order& order);
// Cancelling is allowed until something has shipped.
bool IsCancellable(const v1::Order& order);

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_STATE_MACHINE_H_
