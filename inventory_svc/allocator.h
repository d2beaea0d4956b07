#ifndef OMS_INVENTORY_SVC_ALLOCATOR_H_
#define OMS_INVENTORY_SVC_ALLOCATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace oms::inventory {

// The allocation strategy, as a pure function over a snapshot of stock: no store, no clock.

struct WarehouseChoice {
  std::string warehouse_id;
  std::string region;
  int priority = 0;  // lower is preferred
};

struct LineQuantity {
  std::string sku;
  int64_t quantity = 0;
};

struct Pick {
  std::string sku;
  std::string warehouse_id;
  int64_t quantity = 0;
};

struct AllocationPlan {
  std::vector<Pick> picks;                // what to reserve, per warehouse
  std::vector<LineQuantity> backordered;  // what must wait, per sku
};

enum class Policy { kAllowPartial, kShipComplete };

// Available units per (warehouse_id, sku); absent means zero.
using Availability = std::map<std::pair<std::string, std::string>, int64_t>;

// Warehouses are preferred in this order: in the ship-to region first, then by priority,
// then by id. The plan:
//   1. the first warehouse (in preference order) that covers every line alone;
//   2. otherwise the fewest warehouses that together cover every line, the most preferred
//      such set winning ties, each line taken from the set's warehouses in preference order;
//   3. if some line is short in total: kShipComplete reserves nothing and backorders every
//      line; kAllowPartial reserves what exists (again from the fewest warehouses) and
//      backorders the rest.
// `warehouses` must be the allocatable (active) ones. Lines must have distinct skus.
AllocationPlan PlanAllocation(const std::vector<LineQuantity>& lines,
                              std::vector<WarehouseChoice> warehouses,
                              const Availability& available, const std::string& region,
                              Policy policy);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_ALLOCATOR_H_
