// An order's payment: PAID for the whole total, then refunded in parts (REFUNDED requests,
// at most what was paid in all) or back to UNPAID, each change with its PaymentRecorded
// event (payment_ledger.h says what may follow what). Thread-safe.
#ifndef OMS_ORDER_SVC_PAYMENTS_H_
#define OMS_ORDER_SVC_PAYMENTS_H_

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/server/service_host.h"

namespace oms::order {

// Inside `s`: the PaymentRecorded of `order`'s payment as it now is and, for `refund`, its
// PaymentRefunded. Every change of a payment is told through this.
absl::Status AppendPaymentEvents(ServiceHost& host, Session& s, const v1::Order& order,
                                 const v1::Refund* refund, const std::string& actor);

class Payments {
 public:
  explicit Payments(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Order> RecordPayment(const v1::RecordPaymentRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_PAYMENTS_H_
