#include "platform/security/platform_access.h"

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

}  // namespace oms::auth
