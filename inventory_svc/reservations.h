// Reservations: stock held for an order at a warehouse, from reserved to committed (it
// left with the parcel), released or expired. Reserve and End run inside the caller's
// transaction (allocation and the backorder queue use them); the RPCs are one transaction
// each. Thread-safe.
#ifndef OMS_INVENTORY_SVC_RESERVATIONS_H_
#define OMS_INVENTORY_SVC_RESERVATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "inventory_svc/inventory_store.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class Reservations {
 public:
  explicit Reservations(ServiceHost* host) : host_(host) {}

  // Reserves `quantity` of `sku` at `warehouse_id` for `order_id`; `ttl` 0: no expiry.
  absl::StatusOr<v1::Reservation> Reserve(Session& s, const std::string& order_id,
                                          const std::string& sku, const std::string& warehouse_id,
                                          int64_t quantity, absl::Duration ttl);
  // Ends an active reservation (RELEASED or EXPIRED), wholly or `quantity` of it.
  absl::StatusOr<v1::Reservation> End(Session& s, v1::Reservation reservation, int64_t quantity,
                                      v1::Reservation::Status status);

  // At shipment: the order's reservations at a warehouse leave stock (ledger: SHIPMENT).
  absl::StatusOr<v1::CommitResponse> Commit(const v1::CommitRequest& request);
  absl::StatusOr<v1::ListReservationsResponse> List(const v1::ListReservationsRequest& request);

 private:
  ServiceHost* host_;
};

// The order's allocation record; NOT_FOUND when the order was never allocated.
absl::StatusOr<store::AllocationRecord> RequireAllocation(Session& s, const std::string& order_id);
// ACTIVE reservations of an allocated order, optionally at one warehouse ("" for all).
absl::StatusOr<std::vector<v1::Reservation>> ActiveReservationsOf(Session& s,
                                                                  const std::string& order_id,
                                                                  const std::string& warehouse_id);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_RESERVATIONS_H_
