#include "order_svc/order_state_machine.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace oms::order {
namespace {

using v1::OrderStatus;

// Forward moves of the lifecycle, without ON_HOLD (added for every open state below).
std::vector<OrderStatus> ForwardMoves(OrderStatus from) {
  switch (from) {
    case v1::RECEIVED:
      return {v1::PENDING_REVIEW, v1::APPROVED, v1::REJECTED, v1::CANCELLED};
    case v1::PENDING_REVIEW:
      return {v1::APPROVED, v1::REJECTED, v1::CANCELLED};
    case v1::APPROVED:
      return {v1::ALLOCATED, v1::BACKORDERED, v1::CANCELLED};
    case v1::BACKORDERED:
      return {v1::ALLOCATED, v1::CANCELLED};
    case v1::ALLOCATED:
      return {v1::PARTIALLY_SHIPPED, v1::SHIPPED, v1::BACKORDERED, v1::CANCELLED};
    case v1::PARTIALLY_SHIPPED:
      return {v1::SHIPPED, v1::DELIVERED};
    case v1::SHIPPED:
      return {v1::DELIVERED};
    case v1::DELIVERED:
      return {v1::COMPLETED, v1::RETURN_REQUESTED};
    case v1::COMPLETED:
      return {v1::RETURN_REQUESTED};
    case v1::RETURN_REQUESTED:
      return {v1::RETURNED, v1::COMPLETED};  // COMPLETED: return declined
    case v1::RETURNED:
      return {v1::REFUNDED};
    default:
      return {};  // CANCELLED, REJECTED, REFUNDED are final
  }
}

bool IsOpen(OrderStatus status) { return !ForwardMoves(status).empty() && status != v1::ON_HOLD; }

bool Contains(const std::vector<OrderStatus>& list, OrderStatus s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

std::vector<OrderStatus> AllowedTransitions(OrderStatus from, OrderStatus held_from) {
  if (from == v1::ON_HOLD) {
    std::vector<OrderStatus> moves = ForwardMoves(held_from);
    moves.insert(moves.begin(), held_from);  // resume where it was
    if (!Contains(moves, v1::CANCELLED)) moves.push_back(v1::CANCELLED);
    return moves;
  }
  std::vector<OrderStatus> moves = ForwardMoves(from);
  if (IsOpen(from) && from != v1::COMPLETED) moves.push_back(v1::ON_HOLD);
  return moves;
}

absl::Status CheckTransition(const v1::Order& order, OrderStatus to) {
  std::vector<OrderStatus> allowed = AllowedTransitions(order.status(), order.held_from());
  if (Contains(allowed, to)) return absl::OkStatus();
  std::string allowed_names = absl::StrJoin(
      allowed, ", ", [](std::string* out, OrderStatus s) { out->append(v1::OrderStatus_Name(s)); });
  return absl::FailedPreconditionError(
      absl::StrCat("order ", order.order_id(), " cannot go from ",
                   v1::OrderStatus_Name(order.status()), " to ", v1::OrderStatus_Name(to),
                   "; allowed: ", allowed_names.empty() ? "none (final state)" : allowed_names));
}

bool IsEditable(const v1::Order& order) {
  OrderStatus status = order.status() == v1::ON_HOLD ? order.held_from() : order.status();
  return status == v1::RECEIVED || status == v1::PENDING_REVIEW || status == v1::APPROVED;
}

bool IsAmendable(const v1::Order& order) {
  OrderStatus status = order.status() == v1::ON_HOLD ? order.held_from() : order.status();
  return IsEditable(order) || status == v1::ALLOCATED || status == v1::BACKORDERED;
}

bool IsCancellable(const v1::Order& order) {
  return Contains(AllowedTransitions(order.status(), order.held_from()), v1::CANCELLED);
}

}  // namespace oms::order
