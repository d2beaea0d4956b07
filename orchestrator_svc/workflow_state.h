// Pure functions over one workflow record: entering a stage by the stage table, the order
// status it implies, its shipments. No I/O; unit-tested in workflow_state_test.cc.
#ifndef OMS_ORCHESTRATOR_SVC_WORKFLOW_STATE_H_
#define OMS_ORCHESTRATOR_SVC_WORKFLOW_STATE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

// The one way into a stage: sets the stage, its deadline (from the table and `options`) and
// when it next runs: at once when it has work to do or when order_svc's status must follow,
// otherwise at its deadline or when woken. Leaving ON_HOLD drops the hold note.
void Enter(v1::Workflow& wf, v1::Stage stage, absl::Time now, const OrchestratorOptions& options);
// Lets a waiting stage sleep: until its deadline (not yet passed), else until woken.
void Rest(v1::Workflow& wf, absl::Time now);
// The stage the workflow resumes at: the held stage while ON_HOLD, else the stage.
v1::Stage EffectiveStage(const v1::Workflow& wf);

// The order status the workflow's stage implies (IN_TRANSIT: PARTIALLY_SHIPPED while a
// parcel still waits for pickup); UNSPECIFIED when the stage implies none.
order::v1::OrderStatus ImpliedStatus(const v1::Workflow& wf);
// The statuses a return owns (returns.h: RETURN_REQUESTED, RETURNED, REFUNDED). Once
// delivered goods are on their way back, the workflow leaves the order's status to the return.
const std::vector<order::v1::OrderStatus>& ReturnStatuses();
// Whether order_svc's last acknowledged status is one the stage allows.
bool StatusFits(const v1::Workflow& wf);
// The same, counting the status changes owed to order_svc as told.
bool FitsAfterOwed(v1::Workflow& wf);
// Whether the stage's status change may wait to be told together with the next stages'
// (folded into one call): not for holds, whose status depends on the acknowledged one, nor
// before order_svc's status is known.
bool MayDeferStatus(const v1::Workflow& wf);

// A new workflow for a placed order, at RECEIVED (due now), with the order's data.
v1::Workflow NewWorkflow(const order::v1::Order& order, absl::Time now);
// Copies what the workflow keeps of the order (lines, address, contact, payment, urgency,
// delivery date, totals, version).
void CopyOrder(const order::v1::Order& order, v1::Workflow& wf);

logistics::v1::ShipmentState StateOf(const v1::WorkflowShipment& shipment);
void SetState(v1::WorkflowShipment& shipment, logistics::v1::ShipmentState state);
// The carrier has it (picked up or later, including delivered, late, lost, failed).
bool PickedUp(const v1::WorkflowShipment& shipment);
bool PickedUp(logistics::v1::ShipmentState state);
// A label that still counts: not cancelled, not replaced by a reship, not superseded.
bool Live(const v1::WorkflowShipment& shipment);
bool AnyLivePickedUp(const v1::Workflow& wf);
bool AllLivePickedUp(const v1::Workflow& wf);
// Every live shipment delivered (and there is at least one).
bool AllLiveDelivered(const v1::Workflow& wf);

// Who changes the order's status next and why: the note a command left, or the
// orchestrator with the stage's usual reason.
v1::CommandNote NoteFor(const v1::Workflow& wf, order::v1::OrderStatus to);
v1::CommandNote MakeNote(const std::string& actor, const std::string& reason, absl::Time at);

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_WORKFLOW_STATE_H_
