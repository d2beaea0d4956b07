#ifndef OMS_PLATFORM_SECURITY_APPROVAL_LIMITS_H_
#define OMS_PLATFORM_SECURITY_APPROVAL_LIMITS_H_

// How much money each role may approve on its own (purchase orders, compensation), from a
// flag such as "OPS=500000,CUSTOMER_SERVICE=20000" (minor units). ADMIN is unlimited unless
// listed; a role not listed may approve nothing. No gRPC here.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platform/security/key_store.h"

namespace oms::auth {

class ApprovalLimits {
 public:
  // INVALID_ARGUMENT naming the bad entry ("ROLE=amount" pairs separated by commas).
  static absl::StatusOr<ApprovalLimits> Parse(absl::string_view spec);

  // The most `principal` may approve: the highest limit among its roles; nullopt when
  // unlimited. A server without authentication (an unnamed principal) has no limits, as it
  // has no roles to check.
  std::optional<int64_t> LimitFor(const Principal& principal) const;

  // PERMISSION_DENIED when `amount_minor` is above `principal`'s limit, naming `what`, the
  // amount and the limit.
  absl::Status CheckCovers(const Principal& principal, int64_t amount_minor,
                           absl::string_view what) const;

  std::string ToString() const;

 private:
  std::map<Role, int64_t> limits_;
};

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_APPROVAL_LIMITS_H_
