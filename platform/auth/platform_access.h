#ifndef OMS_PLATFORM_AUTH_PLATFORM_ACCESS_H_
#define OMS_PLATFORM_AUTH_PLATFORM_ACCESS_H_

#include "platform/auth/access_policy.h"

namespace oms::auth {

// Access tables of the services every binary serves besides its own.
const AccessPolicy& EventFeedAccess();
const AccessPolicy& AuditLogAccess();

// PERMISSION_DENIED when `principal` is bound to a channel other than `channel` (the
// Channel enum's name, "ERP"); OK for unbound principals.
absl::Status CheckChannel(const Principal& principal, const std::string& channel);
// Whether `principal` may see records of `channel` (unbound principals see all).
bool SeesChannel(const Principal& principal, const std::string& channel);

}  // namespace oms::auth

#endif  // OMS_PLATFORM_AUTH_PLATFORM_ACCESS_H_
