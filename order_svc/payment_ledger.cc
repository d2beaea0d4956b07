#include "order_svc/payment_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {
namespace {

absl::Status NotHeld(const v1::Order& order, absl::string_view wanted) {
  return absl::FailedPreconditionError(
      absl::StrCat("order ", order.order_id(), " payment is ",
                   v1::Payment::Status_Name(order.payment().status()), ", not ", wanted));
}

// PAID: the whole total, once (no partial payments). A new payment starts a new ledger.
absl::Status Pay(const v1::RecordPaymentRequest& request, v1::Order& order) {
  if (order.status() == v1::CANCELLED || order.status() == v1::REJECTED) {
    // Money that arrives after the order ended is not the order's: it goes back to the payer.
    return absl::FailedPreconditionError(
        absl::StrCat("order ", order.order_id(), " is ", v1::OrderStatus_Name(order.status()),
                     ": it takes no payment; return the money to the payer"));
  }
  if (order.payment().status() != v1::Payment::UNPAID) return NotHeld(order, "UNPAID");
  if (request.amount().minor_units() != order.total().minor_units()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "amount: must equal the order total ", MoneyText(order.total()), " (no partial payments)"));
  }
  v1::Payment* payment = order.mutable_payment();
  payment->clear_refunded();
  payment->clear_refunds();
  *payment->mutable_amount() = request.amount();
  payment->set_reference(request.reference());
  payment->set_status(v1::Payment::PAID);
  return absl::OkStatus();
}

// A refund of part or all of what is left; the amount paid stays as it was.
absl::Status Refund(const v1::RecordPaymentRequest& request, absl::Time now, v1::Order& order) {
  if (!HoldsMoney(order.payment())) return NotHeld(order, "PAID");
  int64_t left = RefundableMinor(order.payment());
  int64_t amount = request.amount().minor_units();
  if (amount <= 0 || amount > left) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount: must be positive and at most what is left of the payment (",
                     MoneyText(left, order.currency_code()), " of ",
                     MoneyText(order.payment().amount()), " paid)"));
  }
  v1::Payment* payment = order.mutable_payment();
  v1::Refund* refund = payment->add_refunds();
  *refund->mutable_amount() = request.amount();
  refund->set_reference(request.reference());
  refund->set_actor(request.actor());
  *refund->mutable_at() = ToProtoTime(now);
  payment->mutable_refunded()->set_currency_code(order.currency_code());
  payment->mutable_refunded()->set_minor_units(RefundedMinor(*payment) + amount);
  payment->set_status(amount == left ? v1::Payment::REFUNDED : v1::Payment::PARTIALLY_REFUNDED);
  return absl::OkStatus();
}

// A payment reversed (a chargeback, a bounced transfer): at most what is still held.
absl::Status Reverse(const v1::RecordPaymentRequest& request, v1::Order& order) {
  if (!HoldsMoney(order.payment())) return NotHeld(order, "PAID");
  int64_t amount = request.amount().minor_units();
  if (amount <= 0 || amount > RefundableMinor(order.payment())) {
    return absl::InvalidArgumentError("amount: must be positive and at most the amount held");
  }
  v1::Payment* payment = order.mutable_payment();
  *payment->mutable_amount() = request.amount();
  payment->set_reference(request.reference());
  payment->set_status(v1::Payment::UNPAID);
  return absl::OkStatus();
}

}  // namespace

bool HoldsMoney(const v1::Payment& payment) {
  return payment.status() == v1::Payment::PAID ||
         payment.status() == v1::Payment::PARTIALLY_REFUNDED;
}

bool WasPaid(const v1::Payment& payment) {
  return HoldsMoney(payment) || payment.status() == v1::Payment::REFUNDED;
}

int64_t RefundedMinor(const v1::Payment& payment) {
  if (payment.has_refunded()) return payment.refunded().minor_units();
  // Stored before refunds were kept: one refund, whose amount replaced the amount paid.
  return payment.status() == v1::Payment::REFUNDED ? payment.amount().minor_units() : 0;
}

int64_t RefundedOfTotalMinor(const v1::Payment& payment) {
  if (payment.refunds().empty()) return RefundedMinor(payment);  // also stored before refunds
  int64_t sum = 0;
  for (const v1::Refund& refund : payment.refunds()) {
    if (!refund.price_change()) sum += refund.amount().minor_units();
  }
  return sum;
}

int64_t RefundableMinor(const v1::Payment& payment) {
  if (!HoldsMoney(payment)) return 0;
  return payment.amount().minor_units() - RefundedMinor(payment);
}

std::optional<v1::Refund> FindRefund(const v1::Payment& payment, absl::string_view reference) {
  for (const v1::Refund& refund : payment.refunds()) {
    if (refund.reference() == reference) return refund;
  }
  if (!payment.has_refunded() && payment.status() == v1::Payment::REFUNDED &&
      payment.reference() == reference) {
    v1::Refund legacy;
    *legacy.mutable_amount() = payment.amount();
    legacy.set_reference(payment.reference());
    *legacy.mutable_at() = payment.updated_at();
    return legacy;
  }
  return std::nullopt;
}

absl::Status ApplyPayment(const v1::RecordPaymentRequest& request, absl::Time now,
                          v1::Order& order) {
  if (request.amount().currency_code() != order.currency_code()) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount: currency must be the order's (", order.currency_code(), ")"));
  }
  // Each step checks everything before it changes anything.
  absl::Status applied;
  switch (request.status()) {
    case v1::Payment::PAID:
      applied = Pay(request, order);
      break;
    case v1::Payment::REFUNDED:
      applied = Refund(request, now, order);
      break;
    case v1::Payment::UNPAID:
      applied = Reverse(request, order);
      break;
    default:
      return absl::InvalidArgumentError("status: must be PAID, REFUNDED or UNPAID");
  }
  if (!applied.ok()) return applied;
  *order.mutable_payment()->mutable_updated_at() = ToProtoTime(now);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Refund>> SettleRepricing(int64_t old_total_minor,
                                                          const std::string& actor,
                                                          const std::string& reference,
                                                          absl::Time now, v1::Order& order) {
  int64_t new_total = order.total().minor_units();
  if (!WasPaid(order.payment()) || new_total == old_total_minor) return std::nullopt;
  if (new_total > old_total_minor) {
    return absl::FailedPreconditionError(absl::StrCat(
        "order ", order.order_id(), " is paid (", MoneyText(old_total_minor, order.currency_code()),
        "): its total cannot rise to ", MoneyText(new_total, order.currency_code()),
        ", as nothing would collect the difference; order the rest separately"));
  }
  v1::RecordPaymentRequest refund;
  refund.set_status(v1::Payment::REFUNDED);
  refund.mutable_amount()->set_currency_code(order.currency_code());
  refund.mutable_amount()->set_minor_units(
      std::min(old_total_minor - new_total, RefundableMinor(order.payment())));
  refund.set_reference(reference);
  refund.set_actor(actor);
  if (refund.amount().minor_units() == 0) return std::nullopt;  // refunded in full already
  OMS_RETURN_IF_ERROR(ApplyPayment(refund, now, order));
  v1::Refund& made = *order.mutable_payment()->mutable_refunds()->rbegin();
  made.set_price_change(true);
  return made;
}

}  // namespace oms::order
