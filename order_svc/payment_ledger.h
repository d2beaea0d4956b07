// An order's payment as a ledger: the amount paid, then refunds in as many parts as needed
// (a compensation, a return, a cancellation), never more in all than was paid. order_svc
// applies payments with ApplyPayment; the orchestrator and analytics read what is held and
// what was refunded through the same functions, so a payment stored before refunds were
// kept (REFUNDED, its `amount` the refunded amount) reads the same everywhere.
#ifndef OMS_ORDER_SVC_PAYMENT_LEDGER_H_
#define OMS_ORDER_SVC_PAYMENT_LEDGER_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "oms/order/v1/order.pb.h"

namespace oms::order {

// True while the customer's money is held: PAID, or PARTIALLY_REFUNDED.
bool HoldsMoney(const v1::Payment& payment);

// True once the order was paid, refunds since included (PAID, PARTIALLY_REFUNDED, REFUNDED):
// the order was settled, so nothing more is waited for. False when UNPAID (or reversed).
bool WasPaid(const v1::Payment& payment);

// The refunds so far, summed.
int64_t RefundedMinor(const v1::Payment& payment);

// The refunds that take back part of the order's total (returns, goodwill, cancels), without
// those that followed a lower total (`price_change`): what revenue reports net out.
int64_t RefundedOfTotalMinor(const v1::Payment& payment);

// What may still be refunded: the amount paid less the refunds; 0 unless money is held.
int64_t RefundableMinor(const v1::Payment& payment);

// The refund recorded with `reference` (a return, a ticket, a compensation), if any; for a
// payment stored before refunds were kept, its one refund when its reference is that.
std::optional<v1::Refund> FindRefund(const v1::Payment& payment, absl::string_view reference);

// Applies `request` to `order`'s payment if it may follow it: PAID for the whole total from
// UNPAID, unless the order was cancelled or rejected; REFUNDED for a part of what is left, recorded
// as one more refund (the payment keeps its amount paid and becomes PARTIALLY_REFUNDED, or REFUNDED
// when nothing is left); UNPAID, a payment reversed, of at most what is held. FAILED_PRECONDITION
// or INVALID_ARGUMENT otherwise, and `order` is left as it was.
absl::Status ApplyPayment(const v1::RecordPaymentRequest& request, absl::Time now,
                          v1::Order& order);

// Settles `order`'s payment after its lines were repriced from `old_total_minor` to its total
// now. An unpaid order simply owes the new total. A paid one may become cheaper: the
// difference (at most what is left) is refunded with `reference`, and that refund is
// returned. It may not become dearer: FAILED_PRECONDITION, as nothing collects the
// difference (no partial payments) - the customer orders the rest separately.
absl::StatusOr<std::optional<v1::Refund>> SettleRepricing(int64_t old_total_minor,
                                                          const std::string& actor,
                                                          const std::string& reference,
                                                          absl::Time now, v1::Order& order);

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_PAYMENT_LEDGER_H_
