#ifndef OMS_NOTIFY_SVC_NOTIFY_ACCESS_H_
#define OMS_NOTIFY_SVC_NOTIFY_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::notify {

// Who may call each oms.notify.v1.NotifyService method: the one place this service's permissions
// are declared (enforced by platform/auth before any handler runs; ADMIN may call all).
const auth::AccessPolicy& NotifyAccess();

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_ACCESS_H_
