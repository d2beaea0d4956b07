// What a changed order means for its workflow: the pure part of AmendOrder (and of an
// OrderUpdated event), unit-tested in amendment_test.cc.
#ifndef OMS_ORCHESTRATOR_SVC_AMENDMENT_H_
#define OMS_ORCHESTRATOR_SVC_AMENDMENT_H_

#include <map>
#include <string>

#include "absl/time/time.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

struct ReplanOutcome {
  bool changed = false;     // the order was newer than the workflow's copy
  bool reallocate = false;  // reservation changes are queued (ALLOCATING makes them)
  bool relabel = false;     // the live labels are superseded (SHIPPING makes new ones)
  bool too_late = false;    // the carrier has the goods: the change is recorded, no more
};

// Brings the workflow's copy of the order up to `order` (when newer) and plans the work the
// change needs at the workflow's stage: before allocation nothing but the copy; after it,
// changed lines or region re-plan the reservation and changes to anything on a label (lines,
// address, contact, urgency, delivery date) supersede the labels not yet picked up. A held
// workflow keeps holding; its held stage is where the re-plan runs on release.
// Folds `delta` (per sku: more wanted > 0, fewer < 0) into the pending amendment, netting
// per sku.
void QueueAllocationChange(v1::PendingAmendment& pending,
                           const std::map<std::string, int64_t>& delta);

ReplanOutcome Replan(v1::Workflow& wf, const order::v1::Order& order, absl::Time now,
                     const OrchestratorOptions& options);

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_AMENDMENT_H_
