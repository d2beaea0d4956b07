// ALLOCATING: reserves the order's stock (once; the first answer is kept by inventory_svc),
// or makes the reservation changes an amendment queued, then moves on to labels when
// everything is reserved and to the backorder queue when not.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/amendment.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"

namespace oms::orchestrator {
namespace {

// `ahead`: the customer's tier goes first (--backorder_priority_tiers).
inventory::v1::AllocateRequest AllocateRequestFor(const v1::Workflow& wf, bool ahead) {
  inventory::v1::AllocateRequest request;
  // Again after compensation (a new revision): inventory allocates an order afresh once its
  // earlier allocation holds nothing.
  request.set_idempotency_key(StepKey(
      wf.order_id(), wf.revision() == 0 ? "allocate" : absl::StrCat("allocate:r", wf.revision())));
  request.set_order_id(wf.order_id());
  request.set_region(wf.region());
  request.set_policy(wf.ship_complete() ? inventory::v1::SHIP_COMPLETE
                                        : inventory::v1::ALLOW_PARTIAL);
  // Served first from the backorder queue: priority customers, then urgent orders.
  request.set_backorder_priority((ahead ? 2 : 0) + (wf.urgency() == order::v1::URGENT ? 1 : 0));
  for (const v1::WorkflowLine& line : wf.lines()) {
    inventory::v1::AllocationLine* l = request.add_lines();
    l->set_sku(line.sku());
    l->set_quantity(line.quantity());
  }
  return request;
}

// What the allocation covers per sku (reserved, shipped or waiting) against the order's
// lines: they differ when an amendment raced the first Allocate (its answer is per order).
std::map<std::string, int64_t> Uncovered(const inventory::v1::Allocation& allocation,
                                         const v1::Workflow& wf) {
  std::map<std::string, int64_t> delta;
  for (const v1::WorkflowLine& line : wf.lines()) delta[line.sku()] += line.quantity();
  for (const inventory::v1::Reservation& r : allocation.reservations()) {
    if (r.status() == inventory::v1::Reservation::ACTIVE ||
        r.status() == inventory::v1::Reservation::COMMITTED) {
      delta[r.sku()] -= r.quantity();
    }
  }
  for (const inventory::v1::BackorderedLine& b : allocation.backordered()) {
    delta[b.sku()] -= b.quantity();
  }
  for (auto it = delta.begin(); it != delta.end();) {
    it = it->second == 0 ? delta.erase(it) : std::next(it);
  }
  return delta;
}

bool HasAmendment(const v1::Workflow& wf) {
  return wf.has_amendment() && (!wf.amendment().release().empty() ||
                                !wf.amendment().add().empty() || !wf.amendment().region().empty());
}

}  // namespace

absl::Status StageSteps::Allocate(v1::Workflow& wf, Learned& learned) {
  InventoryPeer& inventory = *context_->peers().inventory;
  absl::Time now = context_->Now();
  if (!wf.allocation_requested()) {
    // The order may have changed since the workflow last saw it (an address corrected in
    // review): allocate what it is now.
    if (!learned.order.has_value()) {
      OMS_ASSIGN_OR_RETURN(learned.order, context_->peers().order->Get(wf.order_id()));
    }
    Replan(wf, *learned.order, now, context_->options());
    OMS_ASSIGN_OR_RETURN(bool ahead, Prioritised(*learned.order));
    OMS_ASSIGN_OR_RETURN(learned.allocation, inventory.Allocate(AllocateRequestFor(wf, ahead)));
    wf.set_allocation_requested(true);
    std::map<std::string, int64_t> uncovered = Uncovered(*learned.allocation, wf);
    bool moved = learned.allocation->region() != wf.region();
    if (!uncovered.empty() || moved) {  // allocated as the order was: catch up now
      QueueAllocationChange(*wf.mutable_amendment(), uncovered);
      if (moved) wf.mutable_amendment()->set_region(wf.region());
      wf.set_revision(wf.revision() + 1);
      Enter(wf, v1::ALLOCATING, now, context_->options());
      return absl::OkStatus();
    }
  } else if (HasAmendment(wf)) {
    inventory::v1::AmendAllocationRequest amend;
    amend.set_idempotency_key(StepKey(wf.order_id(), absl::StrCat("amend:r", wf.revision())));
    amend.set_order_id(wf.order_id());
    *amend.mutable_release() = wf.amendment().release();
    *amend.mutable_add() = wf.amendment().add();
    amend.set_region(wf.amendment().region());
    OMS_ASSIGN_OR_RETURN(learned.allocation, inventory.AmendAllocation(amend));
    wf.clear_amendment();
  } else if (!learned.allocation.has_value()) {
    // After a backorder was served: the first Allocate's stored answer still shows the
    // shortage, so read the allocation as it is now.
    OMS_ASSIGN_OR_RETURN(learned.allocation, inventory.GetAllocation(wf.order_id()));
  }
  std::set<std::string> warehouses;
  for (const inventory::v1::Reservation& r : learned.allocation->reservations()) {
    if (r.status() == inventory::v1::Reservation::ACTIVE ||
        r.status() == inventory::v1::Reservation::COMMITTED) {
      warehouses.insert(r.warehouse_id());
    }
  }
  wf.clear_warehouses();
  for (const std::string& w : warehouses) wf.add_warehouses(w);
  Enter(wf, learned.allocation->fully_allocated() ? v1::SHIPPING : v1::BACKORDERED, now,
        context_->options());
  return absl::OkStatus();
}

}  // namespace oms::orchestrator
