#ifndef OMS_ORDER_SVC_ORDER_ACCESS_H_
#define OMS_ORDER_SVC_ORDER_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::order {

// Who may call each oms.order.v1.OrderService method: the one place this service's permissions
// are declared (enforced by platform/auth before any handler runs; ADMIN may call all).
const auth::AccessPolicy& OrderAccess();

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_ACCESS_H_
