// An order's payment: PAID for the whole total, then REFUNDED or back to UNPAID for at most
// what was paid, each with its PaymentRecorded event. Thread-safe.
#ifndef OMS_ORDER_SVC_PAYMENTS_H_
#define OMS_ORDER_SVC_PAYMENTS_H_

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/server/service_host.h"

namespace oms::order {

class Payments {
 public:
  explicit Payments(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Order> RecordPayment(const v1::RecordPaymentRequest& request);

 private:
  // FAILED_PRECONDITION or INVALID_ARGUMENT unless `request` may follow the order's payment.
  static absl::Status CheckPaymentStep(const v1::Order& order,
                                       const v1::RecordPaymentRequest& request);

  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_PAYMENTS_H_
