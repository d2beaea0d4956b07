#ifndef OMS_LOGISTICS_SVC_LOGISTICS_ACCESS_H_
#define OMS_LOGISTICS_SVC_LOGISTICS_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::logistics {

// Who may call each oms.logistics.v1.LogisticsService method: the one place this service's
// permissions are declared (enforced by platform/auth before any handler runs; ADMIN may call all).
const auth::AccessPolicy& LogisticsAccess();

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_LOGISTICS_ACCESS_H_
