#ifndef OMS_ANALYTICS_SVC_ANALYTICS_ACCESS_H_
#define OMS_ANALYTICS_SVC_ANALYTICS_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::analytics {

// Who may call each oms.analytics.v1.AnalyticsService method: the one place this service's
// permissions are declared (enforced by platform/auth before any handler runs; ADMIN may call all).
const auth::AccessPolicy& AnalyticsAccess();
// The same for oms.analytics.v1.AnomalyService.
const auth::AccessPolicy& AnomalyAccess();

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANALYTICS_ACCESS_H_
