// Payments on an in-memory store: paid in full, refunded at most what was paid.
#include "order_svc/payments.h"

#include "order_svc/testing/order_fixture.h"

namespace oms::order {
namespace {

class PaymentsTest : public testing::OrderFixture {
 protected:
  absl::StatusOr<v1::Order> Record(const v1::Order& order, v1::Payment::Status status,
                                   int64_t amount, const std::string& key) {
    v1::RecordPaymentRequest request;
    request.set_idempotency_key(key);
    request.set_order_id(order.order_id());
    request.set_status(status);
    request.mutable_amount()->set_currency_code(order.currency_code());
    request.mutable_amount()->set_minor_units(amount);
    return payments_.RecordPayment(request);
  }
};

TEST_F(PaymentsTest, PaidInFullThenRefundedAtMostWhatWasPaid) {
  v1::Order order = Create("WEB-1");
  const int64_t total = order.total().minor_units();
  EXPECT_EQ(Record(order, v1::Payment::PAID, total - 1, "short").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Record(order, v1::Payment::REFUNDED, 1, "early").status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::Order> paid = Record(order, v1::Payment::PAID, total, "pay");
  ASSERT_TRUE(paid.ok()) << paid.status();
  EXPECT_EQ(paid->payment().status(), v1::Payment::PAID);
  EXPECT_EQ(Record(order, v1::Payment::PAID, total, "pay-twice").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Record(order, v1::Payment::REFUNDED, total + 1, "too-much").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::Order> refunded = Record(order, v1::Payment::REFUNDED, total, "refund");
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(refunded->payment().status(), v1::Payment::REFUNDED);
}

// A goodwill refund, then a return's: both recorded, each once however often it is retried,
// each told in its own PaymentRecorded; the first version allowed one refund per payment.
TEST_F(PaymentsTest, RefundedInPartsEachOnceWithItsEvent) {
  v1::Order order = Create("WEB-2");
  const int64_t total = order.total().minor_units();
  ASSERT_TRUE(Record(order, v1::Payment::PAID, total, "pay").ok());
  ASSERT_TRUE(Record(order, v1::Payment::REFUNDED, 500, "goodwill").ok());
  absl::StatusOr<v1::Order> twice = Record(order, v1::Payment::REFUNDED, 500, "goodwill");
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_EQ(twice->payment().refunds_size(), 1);  // the retry replays the first answer
  absl::StatusOr<v1::Order> returned = Record(order, v1::Payment::REFUNDED, 1000, "return");
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->payment().status(), v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(returned->payment().amount().minor_units(), total);
  EXPECT_EQ(returned->payment().refunded().minor_units(), 1500);
  EXPECT_EQ(Record(order, v1::Payment::REFUNDED, total - 1499, "too-much").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<events::v1::Event>> events = host_->outbox().List(0, 100, {});
  ASSERT_TRUE(events.ok());
  std::vector<v1::PaymentRecorded> recorded;
  for (const events::v1::Event& e : *events) {
    v1::PaymentRecorded p;
    if (e.payload().UnpackTo(&p)) recorded.push_back(p);
  }
  ASSERT_EQ(recorded.size(), 3u);  // paid, and two refunds
  EXPECT_FALSE(recorded[0].has_refund());
  EXPECT_EQ(recorded[1].refund().amount().minor_units(), 500);
  EXPECT_EQ(recorded[2].refund().amount().minor_units(), 1000);
  EXPECT_EQ(recorded[2].payment().refunded().minor_units(), 1500);
}

}  // namespace
}  // namespace oms::order
