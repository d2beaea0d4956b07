#include "orchestrator_svc/workflow_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "order_svc/payment_ledger.h"
#include "platform/storage/proto_rows.h"
#include "platform/tracing/trace_context.h"

namespace oms::orchestrator {
namespace {

using logistics::v1::ShipmentState;

std::string DefaultReason(order::v1::OrderStatus to) {
  switch (to) {
    case order::v1::APPROVED:
      return "approved";
    case order::v1::ALLOCATED:
      return "stock reserved";
    case order::v1::BACKORDERED:
      return "waiting for stock";
    case order::v1::PARTIALLY_SHIPPED:
      return "a parcel picked up by the carrier";
    case order::v1::SHIPPED:
      return "picked up by the carrier";
    case order::v1::DELIVERED:
      return "all parcels delivered";
    case order::v1::COMPLETED:
      return "delivered and paid";
    default:
      return absl::StrCat("workflow at ", order::v1::OrderStatus_Name(to));
  }
}

}  // namespace

void Enter(v1::Workflow& wf, v1::Stage stage, absl::Time now, const OrchestratorOptions& options) {
  wf.set_stage(stage);
  // Who held it and why holds only while held, whichever way the hold ends (a release, a
  // cancel from here or from order_svc, a resolution).
  if (stage != v1::ON_HOLD) wf.clear_hold();
  const StageSpec& spec = SpecOf(stage);
  if (spec.deadline == Deadline::kNone) {
    wf.clear_stage_deadline();
  } else {
    *wf.mutable_stage_deadline() = ToProtoTime(now + options.For(spec.deadline));
  }
  wf.set_attempts(0);
  if (spec.wake == Wake::kNow || !StatusFits(wf)) {
    *wf.mutable_next_run_at() = ToProtoTime(now);
  } else {
    Rest(wf, now);
  }
}

void Rest(v1::Workflow& wf, absl::Time now) {
  const StageSpec& spec = SpecOf(wf.stage());
  bool deadline_ahead = wf.has_stage_deadline() && FromProtoTime(wf.stage_deadline()) > now;
  if (spec.wake == Wake::kAtDeadline && deadline_ahead) {
    *wf.mutable_next_run_at() = wf.stage_deadline();
  } else {
    *wf.mutable_next_run_at() = ToProtoTime(Parked());
  }
}

v1::Stage EffectiveStage(const v1::Workflow& wf) {
  return wf.stage() == v1::ON_HOLD ? wf.held_stage() : wf.stage();
}

order::v1::OrderStatus ImpliedStatus(const v1::Workflow& wf) {
  if (wf.stage() == v1::IN_TRANSIT && !AllLivePickedUp(wf)) return order::v1::PARTIALLY_SHIPPED;
  const StageSpec& spec = SpecOf(wf.stage());
  // Released from a hold: back to the status it was held in, when the stage allows it
  // (order_svc resumes a held order there, or moves it forward).
  if (wf.order_status() == order::v1::ON_HOLD && wf.stage() != v1::ON_HOLD &&
      std::find(spec.also_fine.begin(), spec.also_fine.end(), wf.held_order_status()) !=
          spec.also_fine.end()) {
    return wf.held_order_status();
  }
  return spec.status;
}

const std::vector<order::v1::OrderStatus>& ReturnStatuses() {
  static const auto* statuses = new std::vector<order::v1::OrderStatus>{
      order::v1::RETURN_REQUESTED, order::v1::RETURNED, order::v1::REFUNDED};
  return *statuses;
}

bool StatusFits(const v1::Workflow& wf) {
  order::v1::OrderStatus implied = ImpliedStatus(wf);
  if (implied == order::v1::ORDER_STATUS_UNSPECIFIED) return true;
  if (wf.order_status() == implied) return true;
  // A parcel sent again after delivery (a free reship) does not take the order back: it
  // stays DELIVERED or COMPLETED while the workflow follows the new parcel.
  if ((wf.order_status() == order::v1::COMPLETED &&
       (wf.stage() == v1::IN_TRANSIT || wf.stage() == v1::DELIVERED)) ||
      (wf.order_status() == order::v1::DELIVERED && wf.stage() == v1::IN_TRANSIT)) {
    return true;
  }
  // Nor does completing it (a late payment) or a reship take it out of a return.
  const std::vector<order::v1::OrderStatus>& returns = ReturnStatuses();
  if (std::find(returns.begin(), returns.end(), wf.order_status()) != returns.end() &&
      (wf.stage() == v1::IN_TRANSIT || wf.stage() == v1::DELIVERED ||
       wf.stage() == v1::COMPLETED)) {
    return true;
  }
  const std::vector<order::v1::OrderStatus>& also = SpecOf(wf.stage()).also_fine;
  if (wf.stage() == v1::IN_TRANSIT) return false;  // PARTIALLY_SHIPPED vs SHIPPED is exact
  return std::find(also.begin(), also.end(), wf.order_status()) != also.end();
}

bool FitsAfterOwed(v1::Workflow& wf) {
  if (wf.owed_statuses_size() == 0) return StatusFits(wf);
  // Judged as order_svc will have it once the owed changes are told (no copy of the workflow).
  const order::v1::OrderStatus acknowledged = wf.order_status();
  wf.set_order_status(wf.owed_statuses(wf.owed_statuses_size() - 1).to_status());
  const bool fits = StatusFits(wf);
  wf.set_order_status(acknowledged);
  return fits;
}

bool MayDeferStatus(const v1::Workflow& wf) {
  return wf.order_status() != order::v1::ORDER_STATUS_UNSPECIFIED &&
         wf.order_status() != order::v1::ON_HOLD && wf.stage() != v1::ON_HOLD &&
         ImpliedStatus(wf) != order::v1::ON_HOLD;
}

void CopyOrder(const order::v1::Order& order, v1::Workflow& wf) {
  wf.set_channel(order.channel());
  wf.set_payment_method(order.payment_method());
  wf.set_paid(order::WasPaid(order.payment()));
  wf.set_region(order.customer().shipping_address().region());
  wf.set_postal_code(order.customer().shipping_address().postal_code());
  *wf.mutable_shipping_address() = order.customer().shipping_address();
  wf.set_recipient_name(order.customer().name());
  wf.set_recipient_phone(order.customer().phone());
  wf.clear_lines();
  for (const order::v1::OrderLine& line : order.lines()) {
    v1::WorkflowLine* l = wf.add_lines();
    l->set_sku(line.sku());
    l->set_quantity(line.quantity());
  }
  *wf.mutable_total() = order.total();
  wf.set_urgency(order.urgency());
  if (order.has_requested_delivery_date()) {
    *wf.mutable_requested_delivery_date() = order.requested_delivery_date();
  } else {
    wf.clear_requested_delivery_date();
  }
  if (order.has_promised_delivery()) *wf.mutable_promised_delivery() = order.promised_delivery();
  wf.set_ship_complete(order.ship_complete());
  wf.set_order_version(order.version());
}

v1::Workflow NewWorkflow(const order::v1::Order& order, absl::Time now) {
  v1::Workflow wf;
  wf.set_order_id(order.order_id());
  CopyOrder(order, wf);
  wf.set_order_status(order.status());
  wf.set_stage(v1::RECEIVED);
  wf.set_traceparent(tracing::CurrentTraceparent());
  *wf.mutable_created_at() = ToProtoTime(now);
  *wf.mutable_updated_at() = wf.created_at();
  *wf.mutable_next_run_at() = wf.created_at();
  return wf;
}

ShipmentState StateOf(const v1::WorkflowShipment& shipment) {
  if (shipment.parcel_state() != logistics::v1::SHIPMENT_STATE_UNSPECIFIED) {
    return shipment.parcel_state();
  }
  // Saved before the state was an enum: its name.
  ShipmentState state = logistics::v1::SHIPMENT_STATE_UNSPECIFIED;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  logistics::v1::ShipmentState_Parse(shipment.state(), &state);
#pragma GCC diagnostic pop
  return state;
}

void SetState(v1::WorkflowShipment& shipment, ShipmentState state) {
  shipment.set_parcel_state(state);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  shipment.clear_state();
#pragma GCC diagnostic pop
}

bool PickedUp(const v1::WorkflowShipment& shipment) { return PickedUp(StateOf(shipment)); }

bool PickedUp(logistics::v1::ShipmentState state) {
  switch (state) {
    case logistics::v1::PICKED_UP:
    case logistics::v1::IN_TRANSIT:
    case logistics::v1::OUT_FOR_DELIVERY:
    case logistics::v1::DELIVERED:
    case logistics::v1::DELAYED:
    case logistics::v1::DELIVERY_FAILED:
    case logistics::v1::LOST:
    case logistics::v1::RETURNED_TO_SENDER:
      return true;
    default:
      return false;
  }
}

bool Live(const v1::WorkflowShipment& shipment) {
  return !shipment.replaced() && !shipment.superseded() &&
         StateOf(shipment) != logistics::v1::CANCELLED;
}

bool AnyLivePickedUp(const v1::Workflow& wf) {
  return std::any_of(wf.shipments().begin(), wf.shipments().end(),
                     [](const v1::WorkflowShipment& s) { return Live(s) && PickedUp(s); });
}

bool AllLivePickedUp(const v1::Workflow& wf) {
  return std::all_of(wf.shipments().begin(), wf.shipments().end(),
                     [](const v1::WorkflowShipment& s) { return !Live(s) || PickedUp(s); });
}

bool AllLiveDelivered(const v1::Workflow& wf) {
  bool any = false;
  for (const v1::WorkflowShipment& s : wf.shipments()) {
    if (!Live(s)) continue;
    if (StateOf(s) != logistics::v1::DELIVERED) return false;
    any = true;
  }
  return any;
}

v1::CommandNote MakeNote(const std::string& actor, const std::string& reason, absl::Time at) {
  v1::CommandNote note;
  note.set_actor(actor.empty() ? "system" : actor);
  note.set_reason(reason);
  *note.mutable_at() = ToProtoTime(at);
  return note;
}

v1::CommandNote NoteFor(const v1::Workflow& wf, order::v1::OrderStatus to) {
  if (wf.has_status_note()) return wf.status_note();
  v1::CommandNote note;
  note.set_actor("orchestrator");
  note.set_reason(DefaultReason(to));
  return note;
}

}  // namespace oms::orchestrator
