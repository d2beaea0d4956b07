#include "order_svc/order_state_machine.h"

#include "gtest/gtest.h"

namespace oms::order {
namespace {

v1::Order InStatus(v1::OrderStatus status, v1::OrderStatus held_from = {}) {
  v1::Order order;
  order.set_order_id("ord_1");
  order.set_status(status);
  order.set_held_from(held_from);
  return order;
}

TEST(OrderStateMachineTest, HappyPathIsAllowed) {
  std::vector<v1::OrderStatus> path = {
      v1::RECEIVED,  v1::PENDING_REVIEW, v1::APPROVED,         v1::ALLOCATED, v1::SHIPPED,
      v1::DELIVERED, v1::COMPLETED,      v1::RETURN_REQUESTED, v1::RETURNED,  v1::REFUNDED};
  for (size_t i = 1; i < path.size(); ++i) {
    EXPECT_TRUE(CheckTransition(InStatus(path[i - 1]), path[i]).ok())
        << v1::OrderStatus_Name(path[i - 1]) << " -> " << v1::OrderStatus_Name(path[i]);
  }
}

TEST(OrderStateMachineTest, IllegalTransitionNamesBothStates) {
  absl::Status status = CheckTransition(InStatus(v1::RECEIVED), v1::SHIPPED);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("from RECEIVED to SHIPPED"), std::string::npos) << status;
  EXPECT_NE(status.message().find("allowed: PENDING_REVIEW"), std::string::npos);
}

TEST(OrderStateMachineTest, FinalStatesGoNowhere) {
  for (v1::OrderStatus final_status : {v1::CANCELLED, v1::REJECTED, v1::REFUNDED}) {
    EXPECT_TRUE(AllowedTransitions(final_status, {}).empty());
    absl::Status status = CheckTransition(InStatus(final_status), v1::RECEIVED);
    EXPECT_NE(status.message().find("final state"), std::string::npos);
  }
}

TEST(OrderStateMachineTest, HoldResumesWhereItWasOrMovesOn) {
  EXPECT_TRUE(CheckTransition(InStatus(v1::ALLOCATED), v1::ON_HOLD).ok());
  v1::Order held = InStatus(v1::ON_HOLD, v1::ALLOCATED);
  EXPECT_TRUE(CheckTransition(held, v1::ALLOCATED).ok());
  EXPECT_TRUE(CheckTransition(held, v1::SHIPPED).ok());
  EXPECT_TRUE(CheckTransition(held, v1::CANCELLED).ok());
  EXPECT_FALSE(CheckTransition(held, v1::RECEIVED).ok());
  EXPECT_FALSE(CheckTransition(held, v1::ON_HOLD).ok());
}

TEST(OrderStateMachineTest, EditableOnlyBeforeAllocation) {
  EXPECT_TRUE(IsEditable(InStatus(v1::RECEIVED)));
  EXPECT_TRUE(IsEditable(InStatus(v1::APPROVED)));
  EXPECT_TRUE(IsEditable(InStatus(v1::ON_HOLD, v1::PENDING_REVIEW)));
  EXPECT_FALSE(IsEditable(InStatus(v1::ALLOCATED)));
  EXPECT_FALSE(IsEditable(InStatus(v1::ON_HOLD, v1::ALLOCATED)));
}

TEST(OrderStateMachineTest, CancellableUntilShipped) {
  EXPECT_TRUE(IsCancellable(InStatus(v1::ALLOCATED)));
  EXPECT_TRUE(IsCancellable(InStatus(v1::BACKORDERED)));
  EXPECT_FALSE(IsCancellable(InStatus(v1::SHIPPED)));
  EXPECT_FALSE(IsCancellable(InStatus(v1::CANCELLED)));
}

}  // namespace
}  // namespace oms::order
