// Status changes on an in-memory store: the history names who and why; cancellation rules.
#include "order_svc/order_status.h"

#include "order_svc/test_orders.h"
#include "order_svc/testing/order_fixture.h"

namespace oms::order {
namespace {

class OrderStatusTest : public testing::OrderFixture {
 protected:
  static v1::TransitionOrderRequest Transition(const v1::Order& order, v1::OrderStatus to,
                                               const std::string& key) {
    v1::TransitionOrderRequest request;
    request.set_idempotency_key(key);
    request.set_order_id(order.order_id());
    request.set_to_status(to);
    return request;
  }
};

TEST_F(OrderStatusTest, EachMoveIsInTheHistoryAndIllegalOnesAreRefused) {
  v1::Order order = MoveTo(Create("WEB-1"), v1::APPROVED);
  EXPECT_EQ(status_.TransitionOrder(Transition(order, v1::RECEIVED, "back")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::GetOrderHistoryRequest get;
  get.set_order_id(order.order_id());
  absl::StatusOr<v1::GetOrderHistoryResponse> history = history_.GetOrderHistory(get);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->changes_size(), 2);
  EXPECT_EQ(history->changes(1).from_status(), v1::RECEIVED);
  EXPECT_EQ(history->changes(1).to_status(), v1::APPROVED);
}

TEST_F(OrderStatusTest, CancelNeedsAReasonAndIsRefusedForWorkflowOrders) {
  v1::Order order = Create("WEB-1");
  v1::CancelOrderRequest cancel;
  cancel.set_idempotency_key("no-reason");
  cancel.set_order_id(order.order_id());
  EXPECT_EQ(status_.CancelOrder(cancel).status().code(), absl::StatusCode::kInvalidArgument);
  cancel.set_idempotency_key("cancel");
  cancel.set_reason("customer request");
  absl::StatusOr<v1::Order> cancelled = status_.CancelOrder(cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->status(), v1::CANCELLED);
  EXPECT_EQ(cancelled->cancel_reason(), "customer request");

  v1::CreateOrderRequest managed = SampleCreateOrder("WEB-2");
  managed.set_workflow_managed(true);
  absl::StatusOr<v1::Order> run = book_.CreateOrder(managed);
  ASSERT_TRUE(run.ok());
  cancel.set_idempotency_key("cancel-managed");
  cancel.set_order_id(run->order_id());
  absl::Status refused = status_.CancelOrder(cancel).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("OrchestratorService/CancelOrder"), std::string::npos);
}

TEST_F(OrderStatusTest, AnOrderInALeaveStatusIsAnsweredUnchanged) {
  v1::Order order = MoveTo(Create("WEB-1"), v1::APPROVED);
  v1::TransitionOrderRequest allocate = Transition(order, v1::ALLOCATED, "allocate");
  allocate.add_leave_statuses(v1::ON_HOLD);
  allocate.add_leave_statuses(v1::APPROVED);
  absl::StatusOr<v1::Order> left = status_.TransitionOrder(allocate);
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(left->status(), v1::APPROVED);
  EXPECT_EQ(left->version(), order.version());

  allocate.set_idempotency_key("allocate-2");
  allocate.clear_leave_statuses();
  allocate.add_leave_statuses(v1::ON_HOLD);  // not where the order is: it moves
  absl::StatusOr<v1::Order> moved = status_.TransitionOrder(allocate);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->status(), v1::ALLOCATED);
}

}  // namespace
}  // namespace oms::order
