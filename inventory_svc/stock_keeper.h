#ifndef OMS_INVENTORY_SVC_STOCK_KEEPER_H_
#define OMS_INVENTORY_SVC_STOCK_KEEPER_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/service_host.h"

namespace oms::inventory {

// Stock, the adjustment ledger, allocation, reservations, the backorder queue, low-stock
// alerts and replenishment. Each operation is one transaction: the stock numbers, the
// reservations they are derived from, ledger rows, backorder queue changes and outbox events
// commit together or not at all, so stock can be neither oversold nor leaked by a crash.
// Thread-safe (the store serialises writers).
class StockKeeper {
 public:
  explicit StockKeeper(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::StockSummary> GetStock(const v1::GetStockRequest& request);
  absl::StatusOr<v1::ListStockResponse> ListStock(const v1::ListStockRequest& request);
  // Receipts, returns, damage, counts: never lets on hand fall below what is reserved.
  // Stock that becomes available goes to the backorder queue first, in the same transaction.
  absl::StatusOr<v1::AdjustStockResponse> AdjustStock(const v1::AdjustStockRequest& request);
  absl::StatusOr<v1::ListAdjustmentsResponse> ListAdjustments(
      const v1::ListAdjustmentsRequest& request);

  // Reserves per the allocation strategy (allocator.h). Idempotent per order: a second call
  // answers the existing allocation.
  absl::StatusOr<v1::Allocation> Allocate(const v1::AllocateRequest& request);
  absl::StatusOr<v1::Allocation> GetAllocation(const v1::GetAllocationRequest& request);
  // Cancels reservations and waiting backorders; doing it twice is harmless.
  absl::StatusOr<v1::ReleaseResponse> Release(const v1::ReleaseRequest& request);
  // Changes an existing allocation: releases some lines and reserves (or backorders) others
  // under the same order, e.g. when a substitute product replaces a line.
  absl::StatusOr<v1::Allocation> AmendAllocation(const v1::AmendAllocationRequest& request);
  // At shipment: the order's reservations at a warehouse leave stock (ledger: SHIPMENT).
  absl::StatusOr<v1::CommitResponse> Commit(const v1::CommitRequest& request);
  absl::StatusOr<v1::ListReservationsResponse> ListReservations(
      const v1::ListReservationsRequest& request);
  // Releases reservations whose expires_at has passed (by the host's clock).
  absl::StatusOr<v1::ExpireReservationsResponse> ExpireReservations();
  absl::StatusOr<v1::ListBackordersResponse> ListBackorders(
      const v1::ListBackordersRequest& request);

  absl::StatusOr<v1::CheckInvariantsResponse> CheckInvariants();
  absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> GetReplenishmentSuggestions(
      const v1::GetReplenishmentSuggestionsRequest& request);

 private:
  // The helpers below run inside the caller's transaction.
  absl::StatusOr<v1::Allocation> LoadAllocation(Session& s, const std::string& order_id);
  // Reserves `quantity` of `sku` at `warehouse_id` for `order_id`.
  absl::StatusOr<v1::Reservation> Reserve(Session& s, const std::string& order_id,
                                          const std::string& sku, const std::string& warehouse_id,
                                          int64_t quantity, absl::Duration ttl);
  // Gives newly available stock of `skus` to waiting backorders in queue order; emits
  // BackorderAllocated per order served.
  absl::StatusOr<std::vector<v1::BackorderAllocation>> ServeBackorders(
      Session& s, const std::set<std::string>& skus);
  // Emits LowStock when a sku's total available crosses below its safety stock (once per
  // crossing) and re-arms the alert when it recovers.
  absl::Status CheckLowStock(Session& s, const std::set<std::string>& skus);
  // Drops waiting backorder quantity, then active reservations, of `order_id` (all when
  // `lines` is empty), serving the queue with what is freed; with `freed`, only notes the
  // freed skus there (the caller serves the queue when it is done).
  absl::Status ReleaseIn(Session& s, const std::string& order_id,
                         const google::protobuf::RepeatedPtrField<v1::AllocationLine>& lines,
                         const std::string& reason, v1::ReleaseResponse& answer,
                         std::set<std::string>* freed = nullptr);
  // Plans the order's active reservations again for `region` (nearer warehouses first),
  // noting the skus whose stock moved in `freed`.
  absl::Status MoveReservations(Session& s, const std::string& order_id,
                                const std::string& region, std::set<std::string>& freed);
  // Reserves or backorders `add` for an allocated order by its policy.
  absl::Status AddToAllocation(Session& s, const std::string& order_id,
                               v1::AllocationPolicy policy, const std::string& region,
                               const google::protobuf::RepeatedPtrField<v1::AllocationLine>& add);
  // Ends an active reservation (RELEASED or EXPIRED), wholly or `quantity` of it.
  absl::StatusOr<v1::Reservation> EndReservation(Session& s, v1::Reservation reservation,
                                                 int64_t quantity, v1::Reservation::Status status);

  ServiceHost* host_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_STOCK_KEEPER_H_
