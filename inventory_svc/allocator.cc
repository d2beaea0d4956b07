#include "inventory_svc/allocator.h"

#include <algorithm>
#include <functional>

namespace oms::inventory {
namespace {

// Above this many candidate warehouses the exact fewest-set search (combinations) gives way
// to a greedy cover, which is near-minimal and fast.
constexpr size_t kExactSearchLimit = 12;

int64_t Available(const Availability& available, const std::string& warehouse,
                  const std::string& sku) {
  auto it = available.find({warehouse, sku});
  return it == available.end() ? 0 : std::max<int64_t>(it->second, 0);
}

bool Covers(const std::vector<size_t>& set, const std::vector<WarehouseChoice>& warehouses,
            const std::vector<LineQuantity>& wants, const Availability& available) {
  for (const LineQuantity& want : wants) {
    int64_t total = 0;
    for (size_t i : set) total += Available(available, warehouses[i].warehouse_id, want.sku);
    if (total < want.quantity) return false;
  }
  return true;
}

// The first set of `k` warehouses, in lexicographic order of preference, that covers `wants`.
bool FindCoveringSet(size_t k, const std::vector<WarehouseChoice>& warehouses,
                     const std::vector<LineQuantity>& wants, const Availability& available,
                     std::vector<size_t>& set) {
  std::function<bool(size_t)> extend = [&](size_t start) {
    if (set.size() == k) return Covers(set, warehouses, wants, available);
    for (size_t i = start; i + (k - set.size()) <= warehouses.size(); ++i) {
      set.push_back(i);
      if (extend(i + 1)) return true;
      set.pop_back();
    }
    return false;
  };
  set.clear();
  return extend(0);
}

// Greedy: keep adding the warehouse that covers the most still-wanted units.
std::vector<size_t> GreedyCover(const std::vector<WarehouseChoice>& warehouses,
                                std::vector<LineQuantity> wants, const Availability& available) {
  std::vector<size_t> set;
  std::vector<bool> used(warehouses.size(), false);
  while (true) {
    int64_t best_units = 0;
    size_t best = warehouses.size();
    for (size_t i = 0; i < warehouses.size(); ++i) {
      if (used[i]) continue;
      int64_t units = 0;
      for (const LineQuantity& want : wants) {
        units +=
            std::min(want.quantity, Available(available, warehouses[i].warehouse_id, want.sku));
      }
      if (units > best_units) {
        best_units = units;
        best = i;
      }
    }
    if (best == warehouses.size()) return set;
    used[best] = true;
    set.push_back(best);
    for (LineQuantity& want : wants) {
      want.quantity -=
          std::min(want.quantity, Available(available, warehouses[best].warehouse_id, want.sku));
    }
  }
}

std::vector<size_t> FewestWarehouses(const std::vector<WarehouseChoice>& warehouses,
                                     const std::vector<LineQuantity>& wants,
                                     const Availability& available) {
  if (warehouses.size() > kExactSearchLimit) return GreedyCover(warehouses, wants, available);
  std::vector<size_t> set;
  for (size_t k = 1; k <= warehouses.size(); ++k) {
    if (FindCoveringSet(k, warehouses, wants, available, set)) return set;
  }
  return {};
}

}  // namespace

AllocationPlan PlanAllocation(const std::vector<LineQuantity>& lines,
                              std::vector<WarehouseChoice> warehouses,
                              const Availability& available, const std::string& region,
                              Policy policy) {
  std::sort(warehouses.begin(), warehouses.end(),
            [&region](const WarehouseChoice& a, const WarehouseChoice& b) {
              bool a_local = !region.empty() && a.region == region;
              bool b_local = !region.empty() && b.region == region;
              if (a_local != b_local) return a_local;
              if (a.priority != b.priority) return a.priority < b.priority;
              return a.warehouse_id < b.warehouse_id;
            });

  AllocationPlan plan;
  std::vector<LineQuantity> wants;  // what can be reserved, per line
  bool short_anywhere = false;
  for (const LineQuantity& line : lines) {
    int64_t total = 0;
    for (const WarehouseChoice& w : warehouses)
      total += Available(available, w.warehouse_id, line.sku);
    int64_t reservable = std::min(total, line.quantity);
    if (reservable < line.quantity) short_anywhere = true;
    wants.push_back({line.sku, reservable});
  }
  if (short_anywhere && policy == Policy::kShipComplete) {
    plan.backordered = lines;
    return plan;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (wants[i].quantity < lines[i].quantity) {
      plan.backordered.push_back({lines[i].sku, lines[i].quantity - wants[i].quantity});
    }
  }

  std::vector<size_t> set = FewestWarehouses(warehouses, wants, available);
  std::sort(set.begin(), set.end());  // preference order within the set
  for (const LineQuantity& want : wants) {
    int64_t remaining = want.quantity;
    for (size_t i : set) {
      if (remaining == 0) break;
      int64_t take =
          std::min(remaining, Available(available, warehouses[i].warehouse_id, want.sku));
      if (take > 0) {
        plan.picks.push_back({want.sku, warehouses[i].warehouse_id, take});
        remaining -= take;
      }
    }
  }
  return plan;
}

}  // namespace oms::inventory
