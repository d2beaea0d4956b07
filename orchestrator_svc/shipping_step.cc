// SHIPPING: one label (shipment) per warehouse that holds the order's reservations, made
// with the carrier logistics_svc chooses for the parcel, the order's urgency and requested
// delivery date. Labels an amendment superseded are cancelled first.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"

namespace oms::orchestrator {
namespace {

using SkuQuantities = std::map<std::string, int64_t>;

logistics::v1::ShipTo ShipToOf(const v1::Workflow& wf) {
  logistics::v1::ShipTo to;
  to.set_name(wf.recipient_name());
  to.set_phone(wf.recipient_phone());
  to.set_country_code(wf.shipping_address().country_code());
  to.set_region(wf.region());
  to.set_city(wf.shipping_address().city());
  to.set_postal_code(wf.shipping_address().postal_code());
  to.set_street(wf.shipping_address().street());
  return to;
}

// Written on every label this plan revision makes, so a retry of the step (its first
// try's save lost to an event or a command) takes the label as its own.
std::string PlanReference(const v1::Workflow& wf) {
  return absl::StrCat("workflow revision ", wf.revision());
}

bool HasLiveLabel(const v1::Workflow& wf, const std::string& warehouse_id) {
  for (const v1::WorkflowShipment& s : wf.shipments()) {
    if (Live(s) && s.warehouse_id() == warehouse_id) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> StageSteps::CancelLabels(v1::Workflow& wf, bool keep_live,
                                                                  const std::string& reason) {
  LogisticsPeer& logistics = *context_->peers().logistics;
  // Logistics' list, not the workflow's: a label made by a step whose save lost a race to a
  // command is known only there.
  OMS_ASSIGN_OR_RETURN(std::vector<logistics::v1::Shipment> shipments,
                       logistics.ShipmentsOf(wf.order_id()));
  std::vector<std::string> too_late;
  for (const logistics::v1::Shipment& shipment : shipments) {
    v1::WorkflowShipment* known = nullptr;
    for (v1::WorkflowShipment& s : *wf.mutable_shipments()) {
      if (s.shipment_id() == shipment.shipment_id()) known = &s;
    }
    if (known == nullptr) {
      known = wf.add_shipments();
      known->set_shipment_id(shipment.shipment_id());
      known->set_warehouse_id(shipment.warehouse_id());
      known->set_allocation_id(wf.order_id());
      // This revision's own label (made by an earlier try of this step) is kept when live
      // labels are; any other is one the workflow no longer means to send.
      bool own =
          keep_live && shipment.reference() == PlanReference(wf) && shipment.reship_of().empty();
      known->set_superseded(!own);
      if (own) known->set_revision(wf.revision());
    }
    if (shipment.state() == logistics::v1::CANCELLED &&
        StateOf(*known) != logistics::v1::CANCELLED) {
      known->set_superseded(true);  // cancelled meanwhile by this cleanup's earlier try
    }
    SetState(*known, shipment.state());
    if (shipment.state() == logistics::v1::CANCELLED || !shipment.reship_of().empty()) continue;
    if (keep_live && Live(*known)) continue;
    absl::Status cancelled = absl::FailedPreconditionError("picked up");
    if (shipment.progress() == logistics::v1::CREATED) {
      cancelled =
          logistics
              .CancelShipment(StepKey(wf.order_id(), "cancel-label:" + shipment.shipment_id()),
                              shipment.shipment_id(), reason)
              .status();
    }
    if (cancelled.ok()) {
      SetState(*known, logistics::v1::CANCELLED);
      known->set_superseded(true);  // cancelled by the workflow itself
    } else if (cancelled.code() == absl::StatusCode::kFailedPrecondition) {
      known->set_superseded(false);  // the carrier has it: it goes as it is
      if (!PickedUp(*known)) SetState(*known, logistics::v1::PICKED_UP);
      too_late.push_back(shipment.shipment_id());
    } else {
      return cancelled;
    }
  }
  return too_late;
}

absl::StatusOr<logistics::v1::CreateShipmentRequest> StageSteps::LabelFor(
    const v1::Workflow& wf, const std::string& warehouse_id, const SkuQuantities& lines) {
  OMS_ASSIGN_OR_RETURN(inventory::v1::Warehouse warehouse, context_->Warehouse(warehouse_id));
  logistics::v1::CreateShipmentRequest create;
  std::string step = absl::StrCat("ship:", warehouse_id);
  if (wf.revision() > 0) absl::StrAppend(&step, ":r", wf.revision());
  create.set_idempotency_key(StepKey(wf.order_id(), step));
  create.set_order_id(wf.order_id());
  create.set_warehouse_id(warehouse_id);
  create.set_origin_region(warehouse.region());
  create.set_destination_region(wf.region());
  create.set_cod(wf.payment_method() == order::v1::COD);
  create.set_urgency(static_cast<logistics::v1::Urgency>(wf.urgency()));
  if (wf.has_requested_delivery_date()) *create.mutable_deadline() = wf.requested_delivery_date();
  if (wf.has_promised_delivery()) *create.mutable_customer_promise() = wf.promised_delivery();
  *create.mutable_ship_to() = ShipToOf(wf);
  create.set_reference(PlanReference(wf));
  int64_t weight = 0;
  for (const auto& [sku, quantity] : lines) {
    logistics::v1::ShipmentLine* line = create.add_lines();
    line->set_sku(sku);
    line->set_quantity(quantity);
    OMS_ASSIGN_OR_RETURN(inventory::v1::Product product, context_->Product(sku));
    weight += std::max<int64_t>(product.weight_g(), 1) * quantity;
    create.set_volume_cm3(create.volume_cm3() + product.volume_cm3() * quantity);
  }
  create.set_weight_g(weight);
  return create;
}

absl::Status StageSteps::Ship(v1::Workflow& wf, Learned& learned, StepOutcome& out) {
  bool superseded = false;
  for (const v1::WorkflowShipment& s : wf.shipments()) superseded = superseded || s.superseded();
  if (wf.revision() > 0 || superseded) {
    OMS_ASSIGN_OR_RETURN(std::vector<std::string> too_late,
                         CancelLabels(wf, /*keep_live=*/true, "replaced: the order was amended"));
    if (!too_late.empty()) {
      out.ticket = TicketRequest{
          v1::LATE_CHANGE,
          absl::StrCat("parcel ", absl::StrJoin(too_late, ", "),
                       " was picked up before the amendment reached it and goes as first planned"),
          too_late.front()};
    }
  }
  if (!learned.allocation.has_value()) {
    OMS_ASSIGN_OR_RETURN(learned.allocation,
                         context_->peers().inventory->GetAllocation(wf.order_id()));
  }
  std::map<std::string, SkuQuantities> per_warehouse;
  for (const inventory::v1::Reservation& r : learned.allocation->reservations()) {
    if (r.status() == inventory::v1::Reservation::ACTIVE) {
      per_warehouse[r.warehouse_id()][r.sku()] += r.quantity();
    }
  }
  for (const auto& [warehouse_id, lines] : per_warehouse) {
    if (HasLiveLabel(wf, warehouse_id)) continue;
    OMS_ASSIGN_OR_RETURN(logistics::v1::CreateShipmentRequest create,
                         LabelFor(wf, warehouse_id, lines));
    OMS_ASSIGN_OR_RETURN(logistics::v1::Shipment shipment,
                         context_->peers().logistics->CreateShipment(create));
    v1::WorkflowShipment* s = wf.add_shipments();
    s->set_shipment_id(shipment.shipment_id());
    s->set_warehouse_id(warehouse_id);
    SetState(*s, shipment.state());
    s->set_allocation_id(wf.order_id());
    s->set_revision(wf.revision());
  }
  Enter(wf, v1::AWAITING_PICKUP, context_->Now(), context_->options());
  return absl::OkStatus();
}

}  // namespace oms::orchestrator
