// Changes to an order on an in-memory store: every field's old and new value recorded once,
// nothing recorded for no change, and when changes are allowed.
#include "order_svc/order_changes.h"

#include "order_svc/test_orders.h"
#include "order_svc/testing/order_fixture.h"

namespace oms::order {
namespace {

class OrderChangesTest : public testing::OrderFixture {
 protected:
  v1::GetModificationHistoryResponse Modifications(const v1::Order& order) {
    v1::GetModificationHistoryRequest get;
    get.set_order_id(order.order_id());
    absl::StatusOr<v1::GetModificationHistoryResponse> history =
        history_.GetModificationHistory(get);
    EXPECT_TRUE(history.ok()) << history.status();
    return history.ok() ? *history : v1::GetModificationHistoryResponse();
  }
};

TEST_F(OrderChangesTest, AnEditRecordsEachChangedFieldAndASecondIdenticalEditNothing) {
  v1::Order order = Create("WEB-1");
  v1::UpdateOrderRequest update;
  update.set_idempotency_key("new-address");
  update.set_order_id(order.order_id());
  update.set_actor("cs:li");
  update.set_reason("customer called");
  *update.mutable_shipping_address() = AddressIn("North", "1 Chang an Ave");
  update.set_notes("ring twice");
  absl::StatusOr<v1::Order> updated = changes_.UpdateOrder(update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version(), order.version() + 1);
  update.set_idempotency_key("same-again");
  absl::StatusOr<v1::Order> same = changes_.UpdateOrder(update);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->version(), updated->version());
  v1::GetModificationHistoryResponse history = Modifications(order);
  ASSERT_EQ(history.modifications_size(), 1);
  EXPECT_EQ(history.modifications(0).actor(), "cs:li");
  EXPECT_EQ(history.modifications(0).changes_size(), 2);
}

TEST_F(OrderChangesTest, AStaleVersionIsAbortedAndAnEmptyUpdateNamesTheProblem) {
  v1::Order order = Create("WEB-1");
  v1::UpdateOrderRequest update;
  update.set_idempotency_key("stale");
  update.set_order_id(order.order_id());
  update.set_notes("x");
  update.set_expected_version(order.version() + 5);
  EXPECT_EQ(changes_.UpdateOrder(update).status().code(), absl::StatusCode::kAborted);
  v1::UpdateOrderRequest empty;
  empty.set_order_id(order.order_id());
  absl::Status refused = changes_.UpdateOrder(empty).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("nothing to change"), std::string::npos) << refused;
}

TEST_F(OrderChangesTest, AfterAllocationOnlyTheOrchestratorsAmendmentMayEdit) {
  v1::Order order = MoveTo(MoveTo(Create("WEB-1"), v1::APPROVED), v1::ALLOCATED);
  v1::UpdateOrderRequest update;
  update.set_idempotency_key("late");
  update.set_order_id(order.order_id());
  update.set_notes("late note");
  EXPECT_EQ(changes_.UpdateOrder(update).status().code(), absl::StatusCode::kFailedPrecondition);
  update.set_idempotency_key("amendment");
  update.set_workflow_amendment(true);
  EXPECT_TRUE(changes_.UpdateOrder(update).ok());
}

TEST_F(OrderChangesTest, ASubstitutedLineIsRepricedAndRecorded) {
  v1::Order order = Create("WEB-1");
  v1::SubstituteLineRequest substitute;
  substitute.set_idempotency_key("swap");
  substitute.set_order_id(order.order_id());
  substitute.set_from_sku(order.lines(0).sku());
  substitute.set_to_sku("TEA-OOLONG");
  substitute.set_product_name("Oolong");
  absl::StatusOr<v1::Order> swapped = changes_.SubstituteLine(substitute);
  ASSERT_TRUE(swapped.ok()) << swapped.status();
  EXPECT_EQ(swapped->lines(0).sku(), "TEA-OOLONG");
  ASSERT_EQ(Modifications(order).modifications_size(), 1);
  substitute.set_idempotency_key("swap-missing");
  substitute.set_from_sku("NOPE");
  substitute.set_to_sku("TEA-OTHER");
  EXPECT_EQ(changes_.SubstituteLine(substitute).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace oms::order
