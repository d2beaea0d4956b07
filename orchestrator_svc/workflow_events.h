// What the other services' events mean for workflows, applied inside the feed consumer's
// transaction (event and cursor commit together). Dispatch is by payload type: each handled
// type has one handler, which records what the event says on the workflow, opens the
// tickets it calls for and wakes the workflow when its stage takes that event (the stage
// table's "woken by"). No peer calls here: the woken step does the work.
#ifndef OMS_ORCHESTRATOR_SVC_WORKFLOW_EVENTS_H_
#define OMS_ORCHESTRATOR_SVC_WORKFLOW_EVENTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "oms/events/v1/events.pb.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/order/v1/order.pb.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"
#include "orchestrator_svc/workflow_engine.h"
#include "platform/events/event_router.h"

namespace oms::orchestrator {

class WorkflowEvents {
 public:
  WorkflowEvents(WorkflowContext* context, WorkflowEngine* engine, TicketDesk* tickets);

  // The event types Handle acts on (the feeds send only these).
  const std::vector<std::string>& types() const { return router_.types(); }
  absl::Status Handle(Session& s, const events::v1::Event& event) const {
    return router_.Route(s, event);
  }

 private:
  absl::Status OnOrderCreated(Session& s, const order::v1::OrderCreated& created);
  absl::Status OnOrderUpdated(Session& s, const order::v1::OrderUpdated& updated);
  absl::Status OnOrderCancelled(Session& s, const order::v1::OrderCancelled& cancelled);
  absl::Status OnPaymentRecorded(Session& s, const order::v1::PaymentRecorded& paid);
  absl::Status OnBackorderAllocated(Session& s, const inventory::v1::BackorderAllocated& filled);
  absl::Status OnShipmentStatusChanged(Session& s,
                                       const logistics::v1::ShipmentStatusChanged& changed);
  absl::Status OnShipmentDelayed(Session& s, const logistics::v1::ShipmentDelayed& delayed);
  absl::Status OnShipmentLost(Session& s, const logistics::v1::ShipmentLost& lost);

  // Loads the order's workflow, lets `change` update it (answering whether it did, and any
  // ticket to open) and saves it. No workflow: an order the orchestrator does not run.
  using Change = absl::FunctionRef<bool(v1::Workflow&, std::optional<TicketRequest>&)>;
  absl::Status Apply(Session& s, const std::string& order_id, const std::string& shipment_id,
                     Change change);
  // Records a shipment's state (adding a shipment the workflow did not know) and wakes the
  // workflow when its stage follows parcels.
  void NoteParcel(v1::Workflow& wf, const std::string& shipment_id,
                  logistics::v1::ShipmentState state, Happening happening);
  void Wake(v1::Workflow& wf);

  WorkflowContext* context_;
  WorkflowEngine* engine_;
  TicketDesk* tickets_;
  EventRouter<Session&> router_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_WORKFLOW_EVENTS_H_
