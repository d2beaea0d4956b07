#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_ACCESS_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::orchestrator {

// Who may call each oms.orchestrator.v1.OrchestratorService method: the one place this service's
// permissions are declared (enforced by platform/auth before any handler runs; ADMIN may call all).
const auth::AccessPolicy& OrchestratorAccess();

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_ACCESS_H_
