#include "orchestrator_svc/amendment.h"

#include <map>
#include <string>

#include "google/protobuf/util/message_differencer.h"
#include "orchestrator_svc/workflow_state.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::MessageDifferencer;

std::map<std::string, int64_t> Quantities(const v1::Workflow& wf) {
  std::map<std::string, int64_t> out;
  for (const v1::WorkflowLine& line : wf.lines()) out[line.sku()] += line.quantity();
  return out;
}

// new - old per sku (non-zero entries only).
std::map<std::string, int64_t> LineDelta(const v1::Workflow& before, const v1::Workflow& after) {
  std::map<std::string, int64_t> delta = Quantities(after);
  for (const auto& [sku, quantity] : Quantities(before)) delta[sku] -= quantity;
  for (auto it = delta.begin(); it != delta.end();) {
    it = it->second == 0 ? delta.erase(it) : std::next(it);
  }
  return delta;
}

}  // namespace

void QueueAllocationChange(v1::PendingAmendment& pending,
                           const std::map<std::string, int64_t>& delta) {
  std::map<std::string, int64_t> net;
  for (const auto& line : pending.add()) net[line.sku()] += line.quantity();
  for (const auto& line : pending.release()) net[line.sku()] -= line.quantity();
  for (const auto& [sku, quantity] : delta) net[sku] += quantity;
  pending.clear_add();
  pending.clear_release();
  for (const auto& [sku, quantity] : net) {
    if (quantity == 0) continue;
    inventory::v1::AllocationLine* line = quantity > 0 ? pending.add_add() : pending.add_release();
    line->set_sku(sku);
    line->set_quantity(quantity > 0 ? quantity : -quantity);
  }
}

namespace {

bool LabelChanged(const v1::Workflow& before, const v1::Workflow& after) {
  return !MessageDifferencer::Equals(before.shipping_address(), after.shipping_address()) ||
         before.recipient_name() != after.recipient_name() ||
         before.recipient_phone() != after.recipient_phone() ||
         before.urgency() != after.urgency() ||
         !MessageDifferencer::Equals(before.requested_delivery_date(),
                                     after.requested_delivery_date());
}

bool AnyLive(const v1::Workflow& wf) {
  for (const v1::WorkflowShipment& s : wf.shipments()) {
    if (Live(s)) return true;
  }
  return false;
}

}  // namespace

ReplanOutcome Replan(v1::Workflow& wf, const order::v1::Order& order, absl::Time now,
                     const OrchestratorOptions& options) {
  ReplanOutcome outcome;
  if (order.version() <= wf.order_version()) return outcome;
  outcome.changed = true;
  const v1::Workflow before = wf;
  CopyOrder(order, wf);
  std::map<std::string, int64_t> delta = LineDelta(before, wf);
  bool region_changed = before.region() != wf.region();
  bool label_changed = LabelChanged(before, wf);
  bool operational = !delta.empty() || region_changed || label_changed;
  v1::Stage effective = EffectiveStage(wf);
  if (!Accepts(effective, Command::kAmend)) {
    outcome.too_late = operational && SpecOf(effective).undo == Undo::kTooLate;
    return outcome;  // recorded; nothing left to re-plan at this stage
  }
  v1::Stage target = effective;
  if (wf.compensated()) {  // a stopped workflow (its stock released) runs again, amended
    wf.set_compensated(false);
    wf.set_last_error("");
    outcome.reallocate = true;
    target = v1::ALLOCATING;
  } else if (wf.allocation_requested() && (!delta.empty() || region_changed)) {
    QueueAllocationChange(*wf.mutable_amendment(), delta);
    if (region_changed) wf.mutable_amendment()->set_region(wf.region());
    outcome.reallocate = true;
    target = v1::ALLOCATING;
  }
  if (operational && AnyLive(wf)) {
    for (v1::WorkflowShipment& s : *wf.mutable_shipments()) {
      if (Live(s)) s.set_superseded(true);
    }
    outcome.relabel = true;
    if (target != v1::ALLOCATING) target = v1::SHIPPING;
  }
  if (!outcome.reallocate && !outcome.relabel) return outcome;
  wf.set_revision(wf.revision() + 1);
  if (wf.stage() == v1::ON_HOLD) {
    wf.set_held_stage(target);
  } else {
    Enter(wf, target, now, options);
  }
  return outcome;
}

}  // namespace oms::orchestrator
