#include "orchestrator_svc/workflow_events.h"

#include "absl/strings/str_cat.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/order/v1/order.pb.h"
#include "orchestrator_svc/amendment.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

std::string HeldPickupText(const v1::Workflow& wf,
                           const logistics::v1::ShipmentStatusChanged& changed) {
  // Workflows held before the hold note was kept have no reason to name.
  std::string held_for = wf.hold().reason().empty() ? ""
                                                    : absl::StrCat(" by ", wf.hold().actor(), " (",
                                                                   wf.hold().reason(), ")");
  return absl::StrCat("parcel ", changed.shipment_id(),
                      " was picked up by the carrier while the order was on hold", held_for,
                      ": the hold did not stop it; release the hold to follow the parcel, or "
                      "request a return");
}

}  // namespace

WorkflowEvents::WorkflowEvents(WorkflowContext* context, WorkflowEngine* engine,
                               TicketDesk* tickets)
    : context_(context), engine_(engine), tickets_(tickets) {
  auto to = [this](auto handler) {
    return [this, handler](Session& s, const auto& payload, const events::v1::Event&) {
      return (this->*handler)(s, payload);
    };
  };
  router_.On<order::v1::OrderCreated>(to(&WorkflowEvents::OnOrderCreated))
      .On<order::v1::OrderUpdated>(to(&WorkflowEvents::OnOrderUpdated))
      .On<order::v1::OrderCancelled>(to(&WorkflowEvents::OnOrderCancelled))
      .On<order::v1::PaymentRecorded>(to(&WorkflowEvents::OnPaymentRecorded))
      .On<inventory::v1::BackorderAllocated>(to(&WorkflowEvents::OnBackorderAllocated))
      .On<logistics::v1::ShipmentStatusChanged>(to(&WorkflowEvents::OnShipmentStatusChanged))
      .On<logistics::v1::ShipmentDelayed>(to(&WorkflowEvents::OnShipmentDelayed))
      .On<logistics::v1::ShipmentLost>(to(&WorkflowEvents::OnShipmentLost));
}

void WorkflowEvents::Wake(v1::Workflow& wf) {
  *wf.mutable_next_run_at() = ToProtoTime(context_->Now());
}

absl::Status WorkflowEvents::Apply(Session& s, const std::string& order_id,
                                   const std::string& shipment_id, Change change) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, store::FindWorkflow(s, order_id));
  if (!v.has_value()) return absl::OkStatus();  // not an order the orchestrator runs
  v1::Stage before = v->workflow.stage();
  std::optional<TicketRequest> ticket;
  if (change(v->workflow, ticket)) {
    *v->workflow.mutable_updated_at() = ToProtoTime(context_->Now());
    OMS_RETURN_IF_ERROR(engine_->Save(s, *v, before));
  }
  if (ticket.has_value()) {
    ticket->shipment_id = shipment_id;
    OMS_RETURN_IF_ERROR(tickets_->Open(s, order_id, *ticket).status());
  }
  return absl::OkStatus();
}

absl::Status WorkflowEvents::OnOrderCreated(Session& s, const order::v1::OrderCreated& created) {
  if (!created.order().workflow_managed()) return absl::OkStatus();
  // PlaceOrder stores the workflow once its first pass is done. This placeholder covers a
  // PlaceOrder that stopped before (a crash, a shutdown), so no placed order is left without
  // one: the worker adopts it after a grace, and a PlaceOrder still running takes it over.
  v1::Workflow placeholder = NewWorkflow(created.order(), context_->Now());
  *placeholder.mutable_next_run_at() =
      ToProtoTime(context_->Now() + context_->options().adopt_placed_after);
  return store::InsertWorkflow(s, placeholder).status();
}

absl::Status WorkflowEvents::OnOrderUpdated(Session& s, const order::v1::OrderUpdated& updated) {
  return Apply(
      s, updated.order_id(), "", [&](v1::Workflow& wf, std::optional<TicketRequest>& ticket) {
        ReplanOutcome outcome = Replan(wf, updated.order(), context_->Now(), context_->options());
        if (outcome.too_late) {
          ticket = TicketRequest{
              v1::LATE_CHANGE,
              absl::StrCat("order changed by ", updated.actor(),
                           " after the carrier picked it up: the parcel goes as it was"),
              ""};
        }
        return outcome.changed;
      });
}

absl::Status WorkflowEvents::OnOrderCancelled(Session& s,
                                              const order::v1::OrderCancelled& cancelled) {
  return Apply(s, cancelled.order_id(), "", [&](v1::Workflow& wf, std::optional<TicketRequest>&) {
    wf.set_order_status(order::v1::CANCELLED);
    if (IsFinal(wf.stage()) || wf.stage() == v1::CANCELLING) return true;
    // Cancelled in order_svc without the orchestrator: carry out the same compensation.
    *wf.mutable_cancel() = MakeNote(cancelled.actor(), cancelled.reason(), context_->Now());
    Enter(wf, v1::CANCELLING, context_->Now(), context_->options());
    return true;
  });
}

absl::Status WorkflowEvents::OnPaymentRecorded(Session& s, const order::v1::PaymentRecorded& paid) {
  return Apply(s, paid.order_id(), "", [&](v1::Workflow& wf, std::optional<TicketRequest>&) {
    wf.set_paid(order::WasPaid(paid.payment()));  // a refund since does not unpay it
    if (WakesOn(wf.stage(), Happening::kPaymentRecorded)) Wake(wf);
    return true;
  });
}

absl::Status WorkflowEvents::OnBackorderAllocated(
    Session& s, const inventory::v1::BackorderAllocated& allocated) {
  if (!allocated.allocation().fully_allocated()) return absl::OkStatus();
  return Apply(s, allocated.allocation().order_id(), "",
               [&](v1::Workflow& wf, std::optional<TicketRequest>&) {
                 if (wf.stage() == v1::ON_HOLD && wf.held_stage() == v1::BACKORDERED) {
                   wf.set_held_stage(v1::ALLOCATING);  // ships once released
                   return true;
                 }
                 if (!WakesOn(wf.stage(), Happening::kBackorderFilled)) return false;
                 Enter(wf, v1::ALLOCATING, context_->Now(), context_->options());
                 return true;
               });
}

void WorkflowEvents::NoteParcel(v1::Workflow& wf, const std::string& shipment_id,
                                logistics::v1::ShipmentState state, Happening happening) {
  v1::WorkflowShipment* known = nullptr;
  for (v1::WorkflowShipment& sh : *wf.mutable_shipments()) {
    if (sh.shipment_id() == shipment_id) known = &sh;
  }
  if (known == nullptr) {  // made by a step whose save lost a race: not one to keep
    known = wf.add_shipments();
    known->set_shipment_id(shipment_id);
    known->set_allocation_id(wf.order_id());
    known->set_superseded(true);
  }
  SetState(*known, state);
  if (WakesOn(wf.stage(), happening)) Wake(wf);
}

absl::Status WorkflowEvents::OnShipmentStatusChanged(
    Session& s, const logistics::v1::ShipmentStatusChanged& changed) {
  return Apply(s, changed.order_id(), changed.shipment_id(),
               [&](v1::Workflow& wf, std::optional<TicketRequest>& ticket) {
                 NoteParcel(wf, changed.shipment_id(), changed.to_state(), Happening::kParcelMoved);
                 if (changed.to_state() == logistics::v1::DELIVERY_FAILED) {
                   ticket = TicketRequest{v1::DELIVERY_FAILED, "a delivery attempt failed", ""};
                 } else if (wf.stage() == v1::ON_HOLD && PickedUp(changed.to_state())) {
                   // A hold keeps labels valid, so a warehouse can still hand a parcel over;
                   // whoever held the order must learn that the hold did not stop it.
                   ticket = TicketRequest{v1::LATE_CHANGE, HeldPickupText(wf, changed), ""};
                 }
                 return true;
               });
}

absl::Status WorkflowEvents::OnShipmentDelayed(Session& s,
                                               const logistics::v1::ShipmentDelayed& delayed) {
  const logistics::v1::Shipment& shipment = delayed.shipment();
  return Apply(s, shipment.order_id(), shipment.shipment_id(),
               [&](v1::Workflow& wf, std::optional<TicketRequest>& ticket) {
                 NoteParcel(wf, shipment.shipment_id(), shipment.state(), Happening::kParcelLate);
                 ticket = TicketRequest{
                     v1::LOGISTICS_DELAY,
                     absl::StrCat("parcel ", shipment.tracking_number(), " is late"), ""};
                 return true;
               });
}

absl::Status WorkflowEvents::OnShipmentLost(Session& s, const logistics::v1::ShipmentLost& lost) {
  const logistics::v1::Shipment& shipment = lost.shipment();
  return Apply(s, shipment.order_id(), shipment.shipment_id(),
               [&](v1::Workflow& wf, std::optional<TicketRequest>& ticket) {
                 NoteParcel(wf, shipment.shipment_id(), shipment.state(), Happening::kParcelLost);
                 ticket = TicketRequest{
                     v1::PACKAGE_LOST,
                     absl::StrCat("parcel ", shipment.tracking_number(), " is lost"), ""};
                 return true;
               });
}

}  // namespace oms::orchestrator
