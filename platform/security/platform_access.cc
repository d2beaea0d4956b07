#include "platform/security/platform_access.h"

namespace oms::auth {

using security::v1::OPS;
using security::v1::ORDER_WRITER;
using security::v1::READER;
using security::v1::SERVICE;

const AccessPolicy& EventFeedAccess() {
  // A channel-bound key (an ERP's, a shop's) reads only its channel's events: the feed
  // filters by the key's channel (EventFeedService), so it never sees other channels'
  // orders or customers, nor events that belong to no channel.
  static const AccessPolicy* policy = new AccessPolicy(
      "oms.events.v1.EventFeed",
      {
          {"ListEvents", Access::kRead, {SERVICE, OPS, READER, ORDER_WRITER}},
          {"WatchEvents", Access::kRead, {SERVICE, OPS, READER, ORDER_WRITER}},
          {"WatchEventBatches", Access::kRead, {SERVICE, OPS, READER, ORDER_WRITER}},
      });
  return *policy;
}

const AccessPolicy& AuditLogAccess() {
  static const AccessPolicy* policy =
      new AccessPolicy("oms.security.v1.AuditLog", {{"ListAuditLog", Access::kRead, {OPS}}});
  return *policy;
}

}  // namespace oms::auth
