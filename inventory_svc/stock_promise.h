// When an order's goods can leave which warehouse: from stock where it sits, else from the
// sent purchase orders that bring it (after what the backorder queue already waits for),
// else the product's lead time; then the warehouse's daily cut-off and handling days. No
// side effects. Thread-safe.
#ifndef OMS_INVENTORY_SVC_STOCK_PROMISE_H_
#define OMS_INVENTORY_SVC_STOCK_PROMISE_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class StockPromise {
 public:
  explicit StockPromise(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::PromiseStockResponse> Promise(const v1::PromiseStockRequest& request);

 private:
  ServiceHost* host_;
};

// When a parcel whose goods are there at `ready` leaves `warehouse`: handled the same local
// day before the cut-off (the next day after it), then handling_days later, at the cut-off
// (at the end of the day without one).
absl::Time ShipTime(const v1::Warehouse& warehouse, absl::Time ready);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_STOCK_PROMISE_H_
