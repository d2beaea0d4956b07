#include "inventory_svc/allocations.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

// Whether an allocated order still holds anything: stock reserved or shipped, or a place in
// the backorder queue. One that holds nothing (released in full) may be allocated afresh.
absl::StatusOr<bool> HoldsStock(Session& s, const std::string& order_id) {
  store::ReservationQuery query;
  query.order_id = order_id;
  query.statuses = {v1::Reservation::ACTIVE, v1::Reservation::COMMITTED};
  query.limit = 1;
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> held, store::ListReservations(s, query));
  if (!held.empty()) return true;
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting,
                       store::WaitingBackorders(s, "", order_id));
  return !waiting.empty();
}

// Every sku known to the catalogue and active: NOT_FOUND / FAILED_PRECONDITION naming all
// that are not.
absl::Status CheckSellable(Session& s, const std::vector<std::string>& skus) {
  std::vector<std::string> unknown, inactive;
  for (const std::string& sku : skus) {
    absl::StatusOr<v1::Product> product = store::LoadProduct(s, sku);
    if (!product.ok()) {
      if (product.status().code() != absl::StatusCode::kNotFound) return product.status();
      unknown.push_back(sku);
    } else if (!product->active()) {
      inactive.push_back(sku);
    }
  }
  if (!unknown.empty()) {
    return absl::NotFoundError(absl::StrCat("unknown sku: ", absl::StrJoin(unknown, ", ")));
  }
  if (!inactive.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("inactive sku: ", absl::StrJoin(inactive, ", ")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Allocation> Allocations::Allocate(const v1::AllocateRequest& request) {
  FieldErrors errors;
  if (errors.Required(request.order_id(), "order_id")) {
    errors.MaxLength(request.order_id(), 64, "order_id");
  }
  errors.MaxLength(request.region(), 64, "region");
  CheckLines(request.lines(), /*required=*/true, errors);
  errors.Check(request.policy() == v1::ALLOW_PARTIAL || request.policy() == v1::SHIP_COMPLETE,
               "policy", "must be ALLOW_PARTIAL or SHIP_COMPLETE");
  absl::Duration ttl = absl::Seconds(request.reservation_ttl().seconds()) +
                       absl::Nanoseconds(request.reservation_ttl().nanos());
  errors.Check(ttl >= absl::ZeroDuration() && ttl <= absl::Hours(24 * 90), "reservation_ttl",
               "must be between 0 and 90 days");
  OMS_RETURN_IF_ERROR(errors.ToStatus());

  v1::Allocation answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "Allocate", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::optional<store::AllocationRecord> existing,
                             store::FindAllocation(s, request.order_id()));
        if (existing.has_value()) {
          // Idempotent per order while the allocation holds anything; one released in full
          // (a stopped or re-planned order) is allocated afresh below.
          OMS_ASSIGN_OR_RETURN(bool holds, HoldsStock(s, request.order_id()));
          if (holds) {
            OMS_ASSIGN_OR_RETURN(answer, LoadAllocation(s, request.order_id()));
            return absl::OkStatus();
          }
        }
        std::vector<LineQuantity> lines;
        std::vector<std::string> skus;
        for (const v1::AllocationLine& line : request.lines()) {
          lines.push_back({line.sku(), line.quantity()});
          skus.push_back(line.sku());
        }
        OMS_RETURN_IF_ERROR(CheckSellable(s, skus));
        OMS_ASSIGN_OR_RETURN(Availability available, store::AvailabilityOf(s, skus));
        OMS_ASSIGN_OR_RETURN(std::vector<WarehouseChoice> warehouses, store::ActiveWarehouses(s));
        AllocationPlan plan = PlanAllocation(
            lines, warehouses, available, request.region(),
            request.policy() == v1::SHIP_COMPLETE ? Policy::kShipComplete : Policy::kAllowPartial);
        if (existing.has_value()) {
          OMS_RETURN_IF_ERROR(
              store::UpdateAllocation(s, request.order_id(), request.policy(), request.region()));
        } else {
          OMS_RETURN_IF_ERROR(store::InsertAllocation(s, request.order_id(), request.policy(),
                                                      request.region(), lines,
                                                      host_->clock().Now()));
        }
        OMS_RETURN_IF_ERROR(CarryOut(s, request, plan, ttl, answer));
        return replenishment_->CheckLowStock(s, std::set<std::string>(skus.begin(), skus.end()));
      }));
  return answer;
}

absl::Status Allocations::CarryOut(Session& s, const v1::AllocateRequest& request,
                                   const AllocationPlan& plan, absl::Duration ttl,
                                   v1::Allocation& answer) {
  answer.set_order_id(request.order_id());
  answer.set_policy(request.policy());
  answer.set_region(request.region());
  for (const Pick& pick : plan.picks) {
    OMS_ASSIGN_OR_RETURN(*answer.add_reservations(),
                         reservations_->Reserve(s, request.order_id(), pick.sku, pick.warehouse_id,
                                                pick.quantity, ttl));
  }
  v1::Backordered backordered;
  backordered.set_order_id(request.order_id());
  backordered.set_policy(request.policy());
  for (const LineQuantity& line : plan.backordered) {
    OMS_RETURN_IF_ERROR(
        queue_->Add(s, request.order_id(), line.sku, line.quantity, request, host_->clock().Now()));
    v1::BackorderedLine* waiting = answer.add_backordered();
    waiting->set_sku(line.sku);
    waiting->set_quantity(line.quantity);
    *backordered.add_lines() = *waiting;
  }
  answer.set_fully_allocated(plan.backordered.empty());
  if (!plan.picks.empty()) {
    v1::Allocated event;
    *event.mutable_allocation() = answer;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, request.order_id(), event).status());
  }
  if (plan.backordered.empty()) return absl::OkStatus();
  return host_->outbox().Append(s, request.order_id(), backordered).status();
}

absl::StatusOr<v1::Allocation> Allocations::LoadAllocation(Session& s,
                                                           const std::string& order_id) {
  OMS_ASSIGN_OR_RETURN(store::AllocationRecord record, RequireAllocation(s, order_id));
  v1::Allocation allocation;
  allocation.set_order_id(order_id);
  allocation.set_policy(record.policy);
  allocation.set_region(record.region);
  store::ReservationQuery query;
  query.order_id = order_id;
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> reservations,
                       store::ListReservations(s, query));
  for (v1::Reservation& r : reservations) *allocation.add_reservations() = std::move(r);
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting,
                       store::WaitingBackorders(s, "", order_id));
  for (v1::BackorderedLine& line : StillWaiting(waiting)) {
    *allocation.add_backordered() = std::move(line);
  }
  allocation.set_fully_allocated(allocation.backordered().empty());
  return allocation;
}

absl::StatusOr<v1::Allocation> Allocations::GetAllocation(const v1::GetAllocationRequest& request) {
  v1::Allocation allocation;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(allocation, LoadAllocation(s, request.order_id()));
    return absl::OkStatus();
  }));
  return allocation;
}

absl::StatusOr<v1::ReleaseResponse> Allocations::Release(const v1::ReleaseRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  CheckLines(request.lines(), /*required=*/false, errors);
  errors.MaxLength(request.reason(), 500, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ReleaseResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "Release", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        return ReleaseIn(s, request.order_id(), request.lines(), request.reason(), answer);
      }));
  return answer;
}

absl::Status Allocations::ReleaseIn(
    Session& s, const std::string& order_id,
    const google::protobuf::RepeatedPtrField<v1::AllocationLine>& lines, const std::string& reason,
    v1::ReleaseResponse& answer, std::set<std::string>* freed_out) {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> active, ActiveReservationsOf(s, order_id, ""));
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting,
                       store::WaitingBackorders(s, "", order_id));
  // How much to drop per sku; everything when no lines are given.
  std::map<std::string, int64_t> to_drop;
  if (lines.empty()) {
    for (const auto& r : active) to_drop[r.sku()] += r.quantity();
    for (const auto& b : waiting) to_drop[b.sku()] += b.quantity_waiting();
  } else {
    for (const auto& line : lines) to_drop[line.sku()] = line.quantity();
  }
  std::set<std::string> freed;
  // Waiting backorders go first: nothing was reserved for them.
  for (const v1::Backorder& b : waiting) {
    int64_t& left = to_drop[b.sku()];
    int64_t take = std::min(left, b.quantity_waiting());
    if (take == 0) continue;
    OMS_RETURN_IF_ERROR(
        store::SetBackorderWaiting(s, b.backorder_id(), b.quantity_waiting() - take));
    answer.set_backorders_cancelled(answer.backorders_cancelled() + take);
    left -= take;
  }
  // Then reservations, newest first.
  for (auto it = active.rbegin(); it != active.rend(); ++it) {
    int64_t& left = to_drop[it->sku()];
    int64_t take = std::min(left, it->quantity());
    if (take == 0) continue;
    OMS_ASSIGN_OR_RETURN(*answer.add_released(),
                         reservations_->End(s, *it, take, v1::Reservation::RELEASED));
    freed.insert(it->sku());
    left -= take;
  }
  if (answer.released().empty()) return absl::OkStatus();  // nothing left: harmless
  v1::Released event;
  event.set_order_id(order_id);
  *event.mutable_reservations() = answer.released();
  event.set_reason(reason);
  OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order_id, event).status());
  if (freed_out != nullptr) {  // the caller serves the queue once it is done
    freed_out->insert(freed.begin(), freed.end());
    return absl::OkStatus();
  }
  OMS_ASSIGN_OR_RETURN(std::vector<v1::BackorderAllocation> served, queue_->Serve(s, freed));
  for (auto& allocation : served) *answer.add_backorders_allocated() = std::move(allocation);
  return replenishment_->CheckLowStock(s, freed);
}

absl::Status Allocations::AddToAllocation(
    Session& s, const std::string& order_id, v1::AllocationPolicy policy, const std::string& region,
    const google::protobuf::RepeatedPtrField<v1::AllocationLine>& add) {
  std::vector<LineQuantity> lines;
  std::vector<std::string> skus;
  for (const v1::AllocationLine& line : add) {
    OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, line.sku()));
    if (!product.active()) {
      return absl::FailedPreconditionError(absl::StrCat("inactive sku: ", line.sku()));
    }
    lines.push_back({line.sku(), line.quantity()});
    skus.push_back(line.sku());
  }
  OMS_ASSIGN_OR_RETURN(Availability available, store::AvailabilityOf(s, skus));
  OMS_ASSIGN_OR_RETURN(std::vector<WarehouseChoice> warehouses, store::ActiveWarehouses(s));
  AllocationPlan plan =
      PlanAllocation(lines, warehouses, available, region,
                     policy == v1::SHIP_COMPLETE ? Policy::kShipComplete : Policy::kAllowPartial);
  absl::Time now = host_->clock().Now();
  OMS_RETURN_IF_ERROR(store::AddDemand(s, order_id, lines, now));
  for (const Pick& pick : plan.picks) {
    OMS_RETURN_IF_ERROR(
        reservations_
            ->Reserve(s, order_id, pick.sku, pick.warehouse_id, pick.quantity, absl::ZeroDuration())
            .status());
  }
  v1::AllocateRequest terms;  // what the queue needs to know of the order
  terms.set_region(region);
  terms.set_policy(policy);
  for (const LineQuantity& line : plan.backordered) {
    OMS_RETURN_IF_ERROR(queue_->Add(s, order_id, line.sku, line.quantity, terms, now));
  }
  return replenishment_->CheckLowStock(s, std::set<std::string>(skus.begin(), skus.end()));
}

absl::Status Allocations::MoveReservations(Session& s, const std::string& order_id,
                                           const std::string& region,
                                           std::set<std::string>& freed) {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> active, ActiveReservationsOf(s, order_id, ""));
  std::map<std::string, int64_t> held;
  for (const v1::Reservation& r : active) {
    held[r.sku()] += r.quantity();
    OMS_RETURN_IF_ERROR(reservations_->End(s, r, r.quantity(), v1::Reservation::RELEASED).status());
  }
  std::vector<LineQuantity> lines;
  std::vector<std::string> skus;
  for (const auto& [sku, quantity] : held) {
    lines.push_back({sku, quantity});
    skus.push_back(sku);
  }
  // Nothing was given to the queue in between, so the stock just released is there again:
  // the plan reserves all of it, from nearer warehouses where they have it.
  OMS_ASSIGN_OR_RETURN(Availability available, store::AvailabilityOf(s, skus));
  OMS_ASSIGN_OR_RETURN(std::vector<WarehouseChoice> warehouses, store::ActiveWarehouses(s));
  AllocationPlan plan = PlanAllocation(lines, warehouses, available, region, Policy::kAllowPartial);
  for (const Pick& pick : plan.picks) {
    OMS_RETURN_IF_ERROR(
        reservations_
            ->Reserve(s, order_id, pick.sku, pick.warehouse_id, pick.quantity, absl::ZeroDuration())
            .status());
  }
  freed.insert(skus.begin(), skus.end());
  OMS_RETURN_IF_ERROR(store::SetBackorderRegion(s, order_id, region));
  OMS_ASSIGN_OR_RETURN(store::AllocationRecord record, RequireAllocation(s, order_id));
  return store::UpdateAllocation(s, order_id, record.policy, region);
}

absl::StatusOr<v1::Allocation> Allocations::AmendAllocation(
    const v1::AmendAllocationRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  CheckLines(request.release(), /*required=*/false, errors);
  CheckLines(request.add(), /*required=*/false, errors);
  errors.MaxLength(request.region(), 64, "region");
  errors.Check(!request.release().empty() || !request.add().empty() || !request.region().empty(),
               "add", "release, add or move something");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Allocation answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "AmendAllocation", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(store::AllocationRecord record,
                             RequireAllocation(s, request.order_id()));
        // Stock the amendment frees goes to the backorder queue only at the end, after this
        // order took what it still needs.
        std::set<std::string> freed;
        v1::ReleaseResponse released;
        if (!request.release().empty()) {
          OMS_RETURN_IF_ERROR(ReleaseIn(s, request.order_id(), request.release(),
                                        "allocation amended", released, &freed));
        }
        if (!request.region().empty() && request.region() != record.region) {
          OMS_RETURN_IF_ERROR(MoveReservations(s, request.order_id(), request.region(), freed));
          record.region = request.region();
        }
        if (!request.add().empty()) {
          OMS_RETURN_IF_ERROR(
              AddToAllocation(s, request.order_id(), record.policy, record.region, request.add()));
        }
        OMS_RETURN_IF_ERROR(queue_->Serve(s, freed).status());
        OMS_RETURN_IF_ERROR(replenishment_->CheckLowStock(s, freed));
        OMS_ASSIGN_OR_RETURN(answer, LoadAllocation(s, request.order_id()));
        v1::Allocated event;
        *event.mutable_allocation() = answer;
        return host_->outbox().Append(s, request.order_id(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::ExpireReservationsResponse> Allocations::ExpireReservations() {
  v1::ExpireReservationsResponse answer;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    answer.Clear();  // each attempt starts afresh (Database::Transact)
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> due,
                         store::ActiveReservationsExpiredBy(s, host_->clock().Now()));
    std::set<std::string> freed;
    for (v1::Reservation& r : due) {
      OMS_ASSIGN_OR_RETURN(v1::Reservation expired,
                           reservations_->End(s, r, r.quantity(), v1::Reservation::EXPIRED));
      v1::ReservationExpired event;
      *event.mutable_reservation() = expired;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, expired.order_id(), event).status());
      *answer.add_expired() = std::move(expired);
      freed.insert(r.sku());
    }
    OMS_RETURN_IF_ERROR(queue_->Serve(s, freed).status());
    return replenishment_->CheckLowStock(s, freed);
  }));
  return answer;
}

}  // namespace oms::inventory
