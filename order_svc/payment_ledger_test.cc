// The payment ledger on its own: a payment refunded in parts, never beyond what was paid.
#include "order_svc/payment_ledger.h"

#include "gtest/gtest.h"

namespace oms::order {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1780000000);

v1::Order AnOrder() {
  v1::Order order;
  order.set_order_id("ord_1");
  order.set_currency_code("CNY");
  order.mutable_total()->set_currency_code("CNY");
  order.mutable_total()->set_minor_units(33740);
  order.mutable_payment()->set_status(v1::Payment::UNPAID);
  return order;
}

v1::RecordPaymentRequest Request(v1::Payment::Status status, int64_t amount,
                                 const std::string& reference) {
  v1::RecordPaymentRequest request;
  request.set_status(status);
  request.mutable_amount()->set_currency_code("CNY");
  request.mutable_amount()->set_minor_units(amount);
  request.set_reference(reference);
  request.set_actor("support");
  return request;
}

v1::Order Paid() {
  v1::Order order = AnOrder();
  EXPECT_TRUE(ApplyPayment(Request(v1::Payment::PAID, 33740, "psp-1"), kNow, order).ok());
  return order;
}

TEST(PaymentLedgerTest, RefundedInPartsKeepingTheAmountPaid) {
  v1::Order order = Paid();
  EXPECT_TRUE(HoldsMoney(order.payment()));
  EXPECT_EQ(RefundableMinor(order.payment()), 33740);
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::REFUNDED, 500, "cmp_1"), kNow, order).ok());
  EXPECT_EQ(order.payment().status(), v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(order.payment().amount().minor_units(), 33740);
  EXPECT_EQ(order.payment().reference(), "psp-1");  // the provider's, not the refund's
  ASSERT_TRUE(
      ApplyPayment(Request(v1::Payment::REFUNDED, 27969, "ord_1/return"), kNow, order).ok());
  EXPECT_EQ(order.payment().status(), v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(RefundedMinor(order.payment()), 28469);
  EXPECT_EQ(order.payment().refunded().currency_code(), "CNY");
  EXPECT_EQ(RefundableMinor(order.payment()), 5271);
  ASSERT_EQ(order.payment().refunds_size(), 2);
  EXPECT_EQ(order.payment().refunds(1).reference(), "ord_1/return");
  EXPECT_EQ(order.payment().refunds(1).actor(), "support");
  EXPECT_EQ(order.payment().refunds(1).amount().minor_units(), 27969);
  std::optional<v1::Refund> found = FindRefund(order.payment(), "cmp_1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->amount().minor_units(), 500);
  EXPECT_FALSE(FindRefund(order.payment(), "tkt_9").has_value());
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::REFUNDED, 5271, "tkt_1"), kNow, order).ok());
  EXPECT_EQ(order.payment().status(), v1::Payment::REFUNDED);
  EXPECT_FALSE(HoldsMoney(order.payment()));
  EXPECT_TRUE(WasPaid(order.payment()));  // settled: refunded, not owed
  EXPECT_EQ(RefundableMinor(order.payment()), 0);
  EXPECT_EQ(RefundedMinor(order.payment()), 33740);
}

TEST(PaymentLedgerTest, NeverRefundsMoreThanIsLeft) {
  v1::Order order = Paid();
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::REFUNDED, 33000, "a"), kNow, order).ok());
  const v1::Order before = order;
  absl::Status too_much = ApplyPayment(Request(v1::Payment::REFUNDED, 741, "b"), kNow, order);
  EXPECT_EQ(too_much.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_much.message().find("7.40 CNY of 337.40 CNY"), std::string::npos) << too_much;
  EXPECT_EQ(order.SerializeAsString(), before.SerializeAsString());  // nothing half-applied
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::REFUNDED, 0, "c"), kNow, order).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::REFUNDED, 740, "d"), kNow, order).ok());
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::REFUNDED, 1, "e"), kNow, order).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PaymentLedgerTest, PaidOnlyInFullInTheOrdersCurrency) {
  v1::Order order = AnOrder();
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::REFUNDED, 1, "early"), kNow, order).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::PAID, 33739, "short"), kNow, order).code(),
            absl::StatusCode::kInvalidArgument);
  v1::RecordPaymentRequest dollars = Request(v1::Payment::PAID, 33740, "usd");
  dollars.mutable_amount()->set_currency_code("USD");
  EXPECT_EQ(ApplyPayment(dollars, kNow, order).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::PARTIALLY_REFUNDED, 1, "x"), kNow, order).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(order.payment().status(), v1::Payment::UNPAID);
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::PAID, 33740, "pay"), kNow, order).ok());
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::PAID, 33740, "again"), kNow, order).code(),
            absl::StatusCode::kFailedPrecondition);
}

// A bank transfer that arrives after the order was cancelled (unpaid past its timeout) is not
// taken: before, the order was CANCELLED and PAID, and nothing would ever refund it.
TEST(PaymentLedgerTest, ACancelledOrRejectedOrderTakesNoPayment) {
  for (v1::OrderStatus ended : {v1::CANCELLED, v1::REJECTED}) {
    v1::Order order = AnOrder();
    order.set_status(ended);
    absl::Status refused = ApplyPayment(Request(v1::Payment::PAID, 33740, "late"), kNow, order);
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_NE(refused.message().find("return the money"), std::string::npos) << refused;
    EXPECT_EQ(order.payment().status(), v1::Payment::UNPAID);
  }
}

TEST(PaymentLedgerTest, AReversalTakesWhatIsHeldAndANewPaymentStartsAfresh) {
  v1::Order order = Paid();
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::REFUNDED, 740, "goodwill"), kNow, order).ok());
  EXPECT_EQ(ApplyPayment(Request(v1::Payment::UNPAID, 33740, "chargeback"), kNow, order).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::UNPAID, 33000, "chargeback"), kNow, order).ok());
  EXPECT_EQ(order.payment().status(), v1::Payment::UNPAID);
  EXPECT_FALSE(WasPaid(order.payment()));
  EXPECT_EQ(RefundableMinor(order.payment()), 0);
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::PAID, 33740, "paid again"), kNow, order).ok());
  EXPECT_EQ(RefundedMinor(order.payment()), 0);
  EXPECT_EQ(order.payment().refunds_size(), 0);
  EXPECT_EQ(RefundableMinor(order.payment()), 33740);
}

// A lower total's difference is refunded but is no refund of revenue: the total shows it.
TEST(PaymentLedgerTest, APriceChangeRefundIsNotARefundOfTheTotal) {
  v1::Order order = Paid();
  ASSERT_TRUE(ApplyPayment(Request(v1::Payment::REFUNDED, 500, "goodwill"), kNow, order).ok());
  order.mutable_total()->set_minor_units(20000);  // lines changed
  absl::StatusOr<std::optional<v1::Refund>> settled =
      SettleRepricing(33740, "cs:li", "ord_1 changed (version 3)", kNow, order);
  ASSERT_TRUE(settled.ok()) << settled.status();
  ASSERT_TRUE(settled->has_value());
  EXPECT_TRUE((*settled)->price_change());
  EXPECT_EQ((*settled)->amount().minor_units(), 13740);
  EXPECT_EQ(RefundedMinor(order.payment()), 14240);
  EXPECT_EQ(RefundedOfTotalMinor(order.payment()), 500);
  order.mutable_total()->set_minor_units(20001);
  EXPECT_EQ(SettleRepricing(20000, "cs:li", "up", kNow, order).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Stored by a version that replaced the amount paid by the one refund it allowed.
TEST(PaymentLedgerTest, APaymentRefundedBeforeRefundsWereKeptIsRefundedInFull) {
  v1::Payment legacy;
  legacy.set_status(v1::Payment::REFUNDED);
  legacy.mutable_amount()->set_currency_code("CNY");
  legacy.mutable_amount()->set_minor_units(27969);
  legacy.set_reference("ord_1/return");
  EXPECT_EQ(RefundedMinor(legacy), 27969);
  EXPECT_EQ(RefundedOfTotalMinor(legacy), 27969);
  EXPECT_EQ(RefundableMinor(legacy), 0);
  std::optional<v1::Refund> found = FindRefund(legacy, "ord_1/return");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->amount().minor_units(), 27969);
  EXPECT_FALSE(FindRefund(legacy, "tkt_1").has_value());
}

}  // namespace
}  // namespace oms::order
