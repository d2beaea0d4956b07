// Changes to an order after intake, each recorded as a modification (every field's old and
// new value, who and why) with its OrderUpdated event: edits before allocation (after it,
// only as the orchestrator's amendment) and line substitution until the order ships. A paid
// order whose lines change is settled in the same transaction (payment_ledger.h,
// SettleRepricing): cheaper, the difference is refunded; dearer, the change is refused.
// Thread-safe.
#ifndef OMS_ORDER_SVC_ORDER_CHANGES_H_
#define OMS_ORDER_SVC_ORDER_CHANGES_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/server/service_host.h"

namespace oms::order {

class OrderChanges {
 public:
  explicit OrderChanges(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Order> UpdateOrder(const v1::UpdateOrderRequest& request);
  // Allowed until the order ships; recorded as a modification.
  absl::StatusOr<v1::Order> SubstituteLine(const v1::SubstituteLineRequest& request);

 private:
  // Inside `s`: the next version of `order` saved with `modification` and its event, its
  // payment settled against `old_total_minor` (the total before the change).
  absl::Status Record(Session& s, v1::Order& order, v1::Modification& modification,
                      const std::string& actor, const std::string& reason, int64_t old_total_minor);

  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_CHANGES_H_
