// Allocation: an order's demand turned into reservations at warehouses by the allocation
// strategy (allocator.h), with what is short queued as backorders; changed by releases and
// amendments, ended by expiry. Each RPC is one transaction: stock is neither oversold nor
// leaked by a crash. Thread-safe (the store serialises writers).
#ifndef OMS_INVENTORY_SVC_ALLOCATIONS_H_
#define OMS_INVENTORY_SVC_ALLOCATIONS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "inventory_svc/allocator.h"
#include "inventory_svc/backorder_queue.h"
#include "inventory_svc/replenishment.h"
#include "inventory_svc/reservations.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class Allocations {
 public:
  Allocations(ServiceHost* host, Reservations* reservations, BackorderQueue* queue,
              Replenishment* replenishment)
      : host_(host), reservations_(reservations), queue_(queue), replenishment_(replenishment) {}

  // Reserves per the allocation strategy. Idempotent per order: a second call answers the
  // existing allocation while it holds anything.
  absl::StatusOr<v1::Allocation> Allocate(const v1::AllocateRequest& request);
  absl::StatusOr<v1::Allocation> GetAllocation(const v1::GetAllocationRequest& request);
  // Cancels reservations and waiting backorders; doing it twice is harmless.
  absl::StatusOr<v1::ReleaseResponse> Release(const v1::ReleaseRequest& request);
  // Changes an existing allocation: releases some lines and reserves (or backorders) others
  // under the same order, or moves its reservations to another region.
  absl::StatusOr<v1::Allocation> AmendAllocation(const v1::AmendAllocationRequest& request);
  // Releases reservations whose expires_at has passed (by the host's clock).
  absl::StatusOr<v1::ExpireReservationsResponse> ExpireReservations();

 private:
  // The helpers below run inside the caller's transaction.
  absl::StatusOr<v1::Allocation> LoadAllocation(Session& s, const std::string& order_id);
  // Reserves what the plan picks and queues what it leaves short; the allocation's answer.
  absl::Status CarryOut(Session& s, const v1::AllocateRequest& request, const AllocationPlan& plan,
                        absl::Duration ttl, v1::Allocation& answer);
  // Drops waiting backorder quantity, then active reservations, of `order_id` (all when
  // `lines` is empty), serving the queue with what is freed; with `freed`, only notes the
  // freed skus there (the caller serves the queue when it is done).
  absl::Status ReleaseIn(Session& s, const std::string& order_id,
                         const google::protobuf::RepeatedPtrField<v1::AllocationLine>& lines,
                         const std::string& reason, v1::ReleaseResponse& answer,
                         std::set<std::string>* freed = nullptr);
  // Plans the order's active reservations again for `region` (nearer warehouses first),
  // noting the skus whose stock moved in `freed`.
  absl::Status MoveReservations(Session& s, const std::string& order_id, const std::string& region,
                                std::set<std::string>& freed);
  // Reserves or backorders `add` for an allocated order by its policy.
  absl::Status AddToAllocation(Session& s, const std::string& order_id, v1::AllocationPolicy policy,
                               const std::string& region,
                               const google::protobuf::RepeatedPtrField<v1::AllocationLine>& add);

  ServiceHost* host_;
  Reservations* reservations_;
  BackorderQueue* queue_;
  Replenishment* replenishment_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_ALLOCATIONS_H_
