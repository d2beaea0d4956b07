#include "inventory_svc/backorder_queue.h"

#include <algorithm>
#include <map>

#include "inventory_svc/allocator.h"
#include "inventory_svc/inventory_store.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {

std::vector<v1::BackorderedLine> StillWaiting(const std::vector<v1::Backorder>& backorders) {
  std::map<std::string, int64_t> per_sku;
  for (const v1::Backorder& b : backorders) per_sku[b.sku()] += b.quantity_waiting();
  std::vector<v1::BackorderedLine> lines;
  for (const auto& [sku, quantity] : per_sku) {
    v1::BackorderedLine& line = lines.emplace_back();
    line.set_sku(sku);
    line.set_quantity(quantity);
  }
  return lines;
}

absl::Status BackorderQueue::Add(Session& s, const std::string& order_id, const std::string& sku,
                                 int64_t quantity, const v1::AllocateRequest& terms,
                                 absl::Time now) {
  v1::Backorder backorder;
  backorder.set_order_id(order_id);
  backorder.set_sku(sku);
  backorder.set_quantity_requested(quantity);
  backorder.set_quantity_waiting(quantity);
  backorder.set_priority(terms.backorder_priority());
  backorder.set_region(terms.region());
  backorder.set_policy(terms.policy());
  *backorder.mutable_created_at() = ToProtoTime(now);
  return store::InsertBackorder(s, backorder);
}

absl::StatusOr<v1::ListBackordersResponse> BackorderQueue::List(
    const v1::ListBackordersRequest& request) {
  v1::ListBackordersResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting,
                         store::WaitingBackorders(s, request.sku(), request.order_id()));
    for (v1::Backorder& b : waiting) *response.add_backorders() = std::move(b);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<std::vector<v1::BackorderAllocation>> BackorderQueue::Serve(
    Session& s, const std::set<std::string>& skus) {
  std::vector<v1::Backorder> queue;
  for (const std::string& sku : skus) {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting, store::WaitingBackorders(s, sku, ""));
    queue.insert(queue.end(), waiting.begin(), waiting.end());
  }
  std::sort(queue.begin(), queue.end(), [](const v1::Backorder& a, const v1::Backorder& b) {
    if (a.priority() != b.priority()) return a.priority() > b.priority();
    return a.backorder_id() < b.backorder_id();
  });
  OMS_ASSIGN_OR_RETURN(std::vector<WarehouseChoice> warehouses, store::ActiveWarehouses(s));
  std::vector<std::string> served_orders;  // in the order they were served
  std::map<std::string, v1::BackorderAllocation> served;
  std::set<std::string> ship_complete_tried;

  for (const v1::Backorder& head : queue) {
    // Lines to serve now: this one, or for SHIP_COMPLETE every waiting line of the order.
    std::vector<v1::Backorder> entries;
    if (head.policy() == v1::SHIP_COMPLETE) {
      if (!ship_complete_tried.insert(head.order_id()).second) continue;
      OMS_ASSIGN_OR_RETURN(entries, store::WaitingBackorders(s, "", head.order_id()));
    } else {
      entries = {head};
    }
    std::vector<LineQuantity> lines;
    std::vector<std::string> line_skus;
    for (const v1::Backorder& e : entries) {
      lines.push_back({e.sku(), e.quantity_waiting()});
      line_skus.push_back(e.sku());
    }
    OMS_ASSIGN_OR_RETURN(Availability available, store::AvailabilityOf(s, line_skus));
    AllocationPlan plan = PlanAllocation(
        lines, warehouses, available, head.region(),
        head.policy() == v1::SHIP_COMPLETE ? Policy::kShipComplete : Policy::kAllowPartial);
    if (plan.picks.empty()) continue;  // still short: keeps its place in the queue

    auto [it, first_time] = served.try_emplace(head.order_id());
    if (first_time) served_orders.push_back(head.order_id());
    it->second.set_order_id(head.order_id());
    std::map<std::string, int64_t> reserved_per_sku;
    for (const Pick& pick : plan.picks) {
      OMS_ASSIGN_OR_RETURN(*it->second.add_reservations(),
                           reservations_->Reserve(s, head.order_id(), pick.sku, pick.warehouse_id,
                                                  pick.quantity, absl::ZeroDuration()));
      reserved_per_sku[pick.sku] += pick.quantity;
    }
    for (const v1::Backorder& e : entries) {
      int64_t take = std::min(reserved_per_sku[e.sku()], e.quantity_waiting());
      reserved_per_sku[e.sku()] -= take;
      OMS_RETURN_IF_ERROR(
          store::SetBackorderWaiting(s, e.backorder_id(), e.quantity_waiting() - take));
    }
  }

  std::vector<v1::BackorderAllocation> results;
  for (const std::string& order_id : served_orders) {
    v1::BackorderAllocation& allocation = served[order_id];
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> still,
                         store::WaitingBackorders(s, "", order_id));
    for (v1::BackorderedLine& line : StillWaiting(still)) {
      *allocation.add_still_waiting() = std::move(line);
    }
    allocation.set_fully_allocated(allocation.still_waiting().empty());
    v1::BackorderAllocated event;
    *event.mutable_allocation() = allocation;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order_id, event).status());
    results.push_back(allocation);
  }
  return results;
}

}  // namespace oms::inventory
