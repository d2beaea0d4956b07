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

class PaidOrderChangesTest : public OrderChangesTest {
 protected:
  // The sample order (2 teas, a cup: 337.40), paid in full.
  v1::Order Paid(const std::string& reference) {
    v1::Order order = Create(reference);
    v1::RecordPaymentRequest pay;
    pay.set_idempotency_key("pay-" + reference);
    pay.set_order_id(order.order_id());
    pay.set_status(v1::Payment::PAID);
    *pay.mutable_amount() = order.total();
    absl::StatusOr<v1::Order> paid = payments_.RecordPayment(pay);
    EXPECT_TRUE(paid.ok()) << paid.status();
    return paid.ok() ? *paid : order;
  }

  // The order's lines replaced by `teas` teas and the cup.
  absl::StatusOr<v1::Order> Teas(const v1::Order& order, int64_t teas, const std::string& key) {
    v1::UpdateOrderRequest update;
    update.set_idempotency_key(key);
    update.set_order_id(order.order_id());
    update.set_actor("cs:li");
    update.set_reason("customer called");
    *update.mutable_lines()->mutable_lines() = order.lines();
    update.mutable_lines()->mutable_lines(0)->set_quantity(teas);
    return changes_.UpdateOrder(update);
  }

  std::vector<v1::PaymentRecorded> Payments() {
    std::vector<v1::PaymentRecorded> recorded;
    absl::StatusOr<std::vector<events::v1::Event>> events = host_->outbox().List(0, 100, {});
    EXPECT_TRUE(events.ok());
    for (const events::v1::Event& e : *events) {
      v1::PaymentRecorded p;
      if (e.payload().UnpackTo(&p)) recorded.push_back(p);
    }
    return recorded;
  }
};

// One tea fewer on a paid order: the difference is refunded in the same change, and the
// change says so. Before, the customer stayed charged the old total.
TEST_F(PaidOrderChangesTest, ACheaperPaidOrderIsRefundedTheDifference) {
  v1::Order order = Paid("WEB-P1");
  absl::StatusOr<v1::Order> cheaper = Teas(order, 1, "one-tea");
  ASSERT_TRUE(cheaper.ok()) << cheaper.status();
  const int64_t difference = 33740 - cheaper->total().minor_units();
  EXPECT_GT(difference, 12800);  // the tea with its tax, less its share of the discount
  EXPECT_EQ(cheaper->payment().status(), v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(cheaper->payment().amount().minor_units(), 33740);
  EXPECT_EQ(cheaper->payment().refunded().minor_units(), difference);
  ASSERT_EQ(cheaper->payment().refunds_size(), 1);
  EXPECT_EQ(cheaper->payment().refunds(0).actor(), "cs:li");
  std::vector<v1::PaymentRecorded> recorded = Payments();
  ASSERT_EQ(recorded.size(), 2u);  // paid, then the difference refunded
  EXPECT_EQ(recorded[1].refund().amount().minor_units(), difference);
  v1::GetModificationHistoryResponse history = Modifications(order);
  ASSERT_EQ(history.modifications_size(), 1);
  bool told = false;
  for (const v1::FieldChange& c : history.modifications(0).changes()) {
    told = told || c.field() == "payment.refunded";
  }
  EXPECT_TRUE(told);
  // The same change again is the same answer, not a second refund.
  absl::StatusOr<v1::Order> again = Teas(order, 1, "one-tea");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->payment().refunds_size(), 1);
}

// A paid order cannot become dearer (nothing would collect the difference), and an unpaid
// one simply owes its new total.
TEST_F(PaidOrderChangesTest, APaidOrderCannotBecomeDearerAnUnpaidOneOwesTheNewTotal) {
  v1::Order paid = Paid("WEB-P2");
  absl::Status refused = Teas(paid, 5, "five-teas").status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("cannot rise"), std::string::npos) << refused;
  EXPECT_EQ(Modifications(paid).modifications_size(), 0);  // nothing written

  v1::Order unpaid = Create("WEB-P3");
  absl::StatusOr<v1::Order> dearer = Teas(unpaid, 5, "five-teas-unpaid");
  ASSERT_TRUE(dearer.ok()) << dearer.status();
  EXPECT_GT(dearer->total().minor_units(), 33740);
  EXPECT_EQ(dearer->payment().status(), v1::Payment::UNPAID);
  EXPECT_EQ(dearer->payment().refunds_size(), 0);
}

TEST_F(PaidOrderChangesTest, ACheaperSubstituteOnAPaidOrderIsRefundedTheDifference) {
  v1::Order order = Paid("WEB-P4");
  v1::SubstituteLineRequest substitute;
  substitute.set_idempotency_key("swap");
  substitute.set_order_id(order.order_id());
  substitute.set_from_sku("CUP-CELADON");
  substitute.set_to_sku("CUP-PLAIN");
  substitute.set_product_name("Plain cup");
  substitute.mutable_unit_price()->set_currency_code("CNY");
  substitute.mutable_unit_price()->set_minor_units(2550);  // 20.00 less
  absl::StatusOr<v1::Order> swapped = changes_.SubstituteLine(substitute);
  ASSERT_TRUE(swapped.ok()) << swapped.status();
  EXPECT_EQ(swapped->payment().refunded().minor_units(), 33740 - swapped->total().minor_units());
  EXPECT_EQ(Payments().size(), 2u);
}

}  // namespace
}  // namespace oms::order
