#ifndef OMS_PLATFORM_SECURITY_CHANNEL_SCOPE_H_
#define OMS_PLATFORM_SECURITY_CHANNEL_SCOPE_H_

#include <string>

#include "absl/status/status.h"
#include "platform/security/key_store.h"

namespace oms::auth {

// Data scoping of keys bound to one sales channel (ORDER_WRITER for a shop or an ERP).

// PERMISSION_DENIED when `principal` is bound to a channel other than `channel` (the
// Channel enum's name, "ERP"); OK for unbound principals.
absl::Status CheckChannel(const Principal& principal, const std::string& channel);
// Whether `principal` may see records of `channel` (unbound principals see all).
bool SeesChannel(const Principal& principal, const std::string& channel);

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_CHANNEL_SCOPE_H_
