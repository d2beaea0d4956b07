#ifndef OMS_PLATFORM_SECURITY_PLATFORM_ACCESS_H_
#define OMS_PLATFORM_SECURITY_PLATFORM_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::auth {

// Access tables of the services every binary serves besides its own.
const AccessPolicy& EventFeedAccess();
const AccessPolicy& AuditLogAccess();

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_PLATFORM_ACCESS_H_
