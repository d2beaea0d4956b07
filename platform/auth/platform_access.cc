#include "platform/auth/platform_access.h"

#include "absl/strings/str_cat.h"

namespace oms::auth {

using security::v1::OPS;
using security::v1::READER;
using security::v1::SERVICE;

const AccessPolicy& EventFeedAccess() {
  // Feeds carry every record of a service, so channel-bound writers do not read them.
  static const AccessPolicy* policy = new AccessPolicy(
      "oms.events.v1.EventFeed", {
                                     {"ListEvents", Access::kRead, {SERVICE, OPS, READER}},
                                     {"WatchEvents", Access::kRead, {SERVICE, OPS, READER}},
                                 });
  return *policy;
}

const AccessPolicy& AuditLogAccess() {
  static const AccessPolicy* policy =
      new AccessPolicy("oms.security.v1.AuditLog", {{"ListAuditLog", Access::kRead, {OPS}}});
  return *policy;
}

bool SeesChannel(const Principal& principal, const std::string& channel) {
  return principal.channel.empty() || principal.channel == channel;
}

absl::Status CheckChannel(const Principal& principal, const std::string& channel) {
  if (SeesChannel(principal, channel)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("the key of ", principal.name,
                                                  " is bound to channel ", principal.channel,
                                                  ", not ", channel));
}

}  // namespace oms::auth
