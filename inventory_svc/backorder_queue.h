// The backorder queue: what an order is still owed when stock was short, and who gets stock
// that becomes available (by priority, then first come; a SHIP_COMPLETE order only whole).
// Add and Serve run inside the caller's transaction. Thread-safe.
#ifndef OMS_INVENTORY_SVC_BACKORDER_QUEUE_H_
#define OMS_INVENTORY_SVC_BACKORDER_QUEUE_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "inventory_svc/reservations.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class BackorderQueue {
 public:
  BackorderQueue(ServiceHost* host, Reservations* reservations)
      : host_(host), reservations_(reservations) {}

  // Queues `quantity` of `sku` for the order, at the back of its priority.
  absl::Status Add(Session& s, const std::string& order_id, const std::string& sku,
                   int64_t quantity, const v1::AllocateRequest& terms, absl::Time now);
  // Gives available stock of `skus` to waiting backorders in queue order; emits
  // BackorderAllocated per order served.
  absl::StatusOr<std::vector<v1::BackorderAllocation>> Serve(Session& s,
                                                             const std::set<std::string>& skus);
  absl::StatusOr<v1::ListBackordersResponse> List(const v1::ListBackordersRequest& request);

 private:
  ServiceHost* host_;
  Reservations* reservations_;
};

// Waiting quantity per sku of these backorders, by sku.
std::vector<v1::BackorderedLine> StillWaiting(const std::vector<v1::Backorder>& backorders);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_BACKORDER_QUEUE_H_
