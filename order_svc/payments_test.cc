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

}  // namespace
}  // namespace oms::order
