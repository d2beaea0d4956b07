#include "inventory_svc/stock_keeper.h"

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "inventory_svc/allocator.h"
#include "inventory_svc/catalogue.h"
#include "inventory_svc/inventory_store.h"
#include "platform/page_token.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

namespace oms::inventory {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr int kMaxLines = 500;
constexpr int64_t kMaxQuantity = 1'000'000;
constexpr int64_t kMaxAdjustment = 1'000'000'000;

void CheckPageSize(int32_t page_size, FieldErrors& errors) {
  errors.Check(page_size >= 0 && page_size <= kMaxPageSize, "page_size",
               "must be between 0 and 1000");
}

int PageSize(int32_t requested) { return requested == 0 ? kDefaultPageSize : requested; }

void CheckLines(const google::protobuf::RepeatedPtrField<v1::AllocationLine>& lines, bool required,
                FieldErrors& errors) {
  if (required && !errors.Check(!lines.empty(), "lines", "at least one line is required")) return;
  if (!errors.Check(lines.size() <= kMaxLines, "lines", "at most 500 lines")) return;
  std::set<std::string> seen;
  for (int i = 0; i < lines.size(); ++i) {
    std::string sku_field = IndexedField("lines", i, "sku");
    if (errors.Check(IsIdentifier(lines[i].sku()), sku_field, "is not a sku")) {
      errors.Check(seen.insert(lines[i].sku()).second, sku_field, "appears twice");
    }
    errors.Check(lines[i].quantity() > 0 && lines[i].quantity() <= kMaxQuantity,
                 IndexedField("lines", i, "quantity"), "must be between 1 and 1000000");
  }
}

// Sign rules of the ledger: receipts and returns add, damage and loss remove.
const char* SignProblem(v1::AdjustmentReason reason, int64_t delta) {
  switch (reason) {
    case v1::RECEIPT:
    case v1::RETURN:
      return delta > 0 ? nullptr : "must be positive for RECEIPT and RETURN";
    case v1::DAMAGE:
    case v1::LOSS:
      return delta < 0 ? nullptr : "must be negative for DAMAGE and LOSS";
    default:
      return nullptr;
  }
}

// The order's allocation record; NOT_FOUND when the order was never allocated.
absl::StatusOr<store::AllocationRecord> RequireAllocation(Session& s, const std::string& order_id) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::AllocationRecord> record,
                       store::FindAllocation(s, order_id));
  if (!record.has_value()) {
    return absl::NotFoundError(absl::StrCat("order ", order_id, " has no allocation"));
  }
  return *record;
}

// ACTIVE reservations of an allocated order, optionally at one warehouse.
absl::StatusOr<std::vector<v1::Reservation>> ActiveReservationsOf(Session& s,
                                                                  const std::string& order_id,
                                                                  const std::string& warehouse_id) {
  OMS_RETURN_IF_ERROR(RequireAllocation(s, order_id).status());
  store::ReservationQuery query;
  query.order_id = order_id;
  query.warehouse_id = warehouse_id;
  query.statuses = {v1::Reservation::ACTIVE};
  return store::ListReservations(s, query);
}

// Whether an allocated order still holds anything: stock reserved or shipped, or a place in
// the backorder queue. One that holds nothing (released in full) may be allocated afresh.
absl::StatusOr<bool> HoldsStock(Session& s, const std::string& order_id) {
  store::ReservationQuery query;
  query.order_id = order_id;
  query.statuses = {v1::Reservation::ACTIVE, v1::Reservation::COMMITTED};
  query.limit = 1;
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> held, store::ListReservations(s, query));
  if (!held.empty()) return true;
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting, store::WaitingBackorders(s, "", order_id));
  return !waiting.empty();
}

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

}  // namespace

// ------------------------------------------------------------------------------ stock

absl::StatusOr<v1::StockSummary> StockKeeper::GetStock(const v1::GetStockRequest& request) {
  v1::StockSummary summary;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, request.sku()));
    OMS_ASSIGN_OR_RETURN(std::vector<v1::StockLevel> levels, store::StockOfSku(s, request.sku()));
    summary.set_sku(product.sku());
    for (v1::StockLevel& level : levels) {
      summary.set_on_hand(summary.on_hand() + level.on_hand());
      summary.set_reserved(summary.reserved() + level.reserved());
      *summary.add_levels() = std::move(level);
    }
    summary.set_available(summary.on_hand() - summary.reserved());
    summary.set_safety_stock(product.safety_stock());
    summary.set_below_safety_stock(summary.available() < product.safety_stock());
    OMS_ASSIGN_OR_RETURN(int64_t waiting, store::WaitingQuantity(s, request.sku()));
    summary.set_backordered(waiting);
    return absl::OkStatus();
  }));
  return summary;
}

absl::StatusOr<v1::ListStockResponse> StockKeeper::ListStock(const v1::ListStockRequest& request) {
  FieldErrors errors;
  CheckPageSize(request.page_size(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::StockQuery query;
  query.sku = request.sku();
  query.warehouse_id = request.warehouse_id();
  query.category = request.category();
  query.below_safety_stock_only = request.below_safety_stock_only();
  if (!request.page_token().empty()) {
    OMS_ASSIGN_OR_RETURN(std::string position, DecodePageToken(request.page_token(), request));
    std::pair<std::string, std::string> key = absl::StrSplit(position, absl::MaxSplits('\n', 1));
    query.after = key;
  }
  int page_size = PageSize(request.page_size());
  query.limit = page_size + 1;
  v1::ListStockResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::StockLevel> levels, store::ListStock(s, query));
    bool more = static_cast<int>(levels.size()) > page_size;
    if (more) levels.pop_back();
    for (v1::StockLevel& level : levels) *response.add_levels() = std::move(level);
    if (more) {
      const v1::StockLevel& last = response.levels(response.levels_size() - 1);
      response.set_next_page_token(
          EncodePageToken(absl::StrCat(last.sku(), "\n", last.warehouse_id()), request));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::AdjustStockResponse> StockKeeper::AdjustStock(
    const v1::AdjustStockRequest& request) {
  FieldErrors errors;
  errors.Check(IsIdentifier(request.sku()), "sku", "is not a sku");
  errors.Check(IsIdentifier(request.warehouse_id()), "warehouse_id", "is not a warehouse id");
  if (errors.Check(request.delta() != 0 && request.delta() >= -kMaxAdjustment &&
                       request.delta() <= kMaxAdjustment,
                   "delta", "must be non-zero and at most 10^9 units either way")) {
    if (const char* problem = SignProblem(request.reason(), request.delta())) {
      errors.Add("delta", problem);
    }
  }
  errors.Check(request.reason() != v1::ADJUSTMENT_REASON_UNSPECIFIED &&
                   request.reason() != v1::SHIPMENT &&
                   v1::AdjustmentReason_IsValid(request.reason()),
               "reason", "must be RECEIPT, RETURN, DAMAGE, LOSS, CYCLE_COUNT or CORRECTION");
  errors.MaxLength(request.actor(), 100, "actor");
  errors.MaxLength(request.note(), 500, "note");
  OMS_RETURN_IF_ERROR(errors.ToStatus());

  v1::AdjustStockResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "AdjustStock", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_RETURN_IF_ERROR(store::LoadProduct(s, request.sku()).status());
        OMS_RETURN_IF_ERROR(store::LoadWarehouse(s, request.warehouse_id()).status());
        OMS_ASSIGN_OR_RETURN(v1::StockLevel before,
                             store::StockAt(s, request.sku(), request.warehouse_id()));
        if (before.on_hand() + request.delta() < before.reserved()) {
          return absl::FailedPreconditionError(
              absl::StrCat("on hand of ", request.sku(), " at ", request.warehouse_id(),
                           " would become ", before.on_hand() + request.delta(), ", below the ",
                           before.reserved(), " reserved (release or commit reservations first)"));
        }
        OMS_RETURN_IF_ERROR(
            store::AddOnHand(s, request.sku(), request.warehouse_id(), request.delta()));
        v1::Adjustment* adjustment = answer.mutable_adjustment();
        adjustment->set_sku(request.sku());
        adjustment->set_warehouse_id(request.warehouse_id());
        adjustment->set_delta(request.delta());
        adjustment->set_reason(request.reason());
        adjustment->set_actor(request.actor().empty() ? "system" : request.actor());
        adjustment->set_note(request.note());
        adjustment->set_on_hand_after(before.on_hand() + request.delta());
        *adjustment->mutable_occurred_at() = ToProtoTime(host_->clock().Now());
        OMS_ASSIGN_OR_RETURN(int64_t id, store::AppendAdjustment(s, *adjustment));
        adjustment->set_adjustment_id(id);
        OMS_ASSIGN_OR_RETURN(*answer.mutable_level(),
                             store::StockAt(s, request.sku(), request.warehouse_id()));
        v1::StockAdjusted event;
        *event.mutable_adjustment() = *adjustment;
        *event.mutable_level() = answer.level();
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, request.sku(), event).status());
        if (request.delta() > 0) {
          OMS_ASSIGN_OR_RETURN(std::vector<v1::BackorderAllocation> served,
                               ServeBackorders(s, {request.sku()}));
          for (auto& allocation : served)
            *answer.add_backorders_allocated() = std::move(allocation);
          OMS_ASSIGN_OR_RETURN(*answer.mutable_level(),
                               store::StockAt(s, request.sku(), request.warehouse_id()));
        }
        return CheckLowStock(s, {request.sku()});
      }));
  return answer;
}

absl::StatusOr<v1::ListAdjustmentsResponse> StockKeeper::ListAdjustments(
    const v1::ListAdjustmentsRequest& request) {
  FieldErrors errors;
  CheckPageSize(request.page_size(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::AdjustmentQuery query;
  query.sku = request.sku();
  query.warehouse_id = request.warehouse_id();
  if (request.has_from()) query.from_us = TimeUtil::TimestampToMicroseconds(request.from());
  if (request.has_to()) query.to_us = TimeUtil::TimestampToMicroseconds(request.to());
  if (!request.page_token().empty()) {
    OMS_ASSIGN_OR_RETURN(std::string position, DecodePageToken(request.page_token(), request));
    if (!absl::SimpleAtoi(position, &query.after_id)) {
      return absl::InvalidArgumentError("page_token: is not a token from ListAdjustments");
    }
  }
  int page_size = PageSize(request.page_size());
  query.limit = page_size + 1;
  v1::ListAdjustmentsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Adjustment> rows, store::ListAdjustments(s, query));
    bool more = static_cast<int>(rows.size()) > page_size;
    if (more) rows.pop_back();
    for (v1::Adjustment& a : rows) *response.add_adjustments() = std::move(a);
    if (more) {
      response.set_next_page_token(EncodePageToken(
          absl::StrCat(response.adjustments(response.adjustments_size() - 1).adjustment_id()),
          request));
    }
    return absl::OkStatus();
  }));
  return response;
}

// ------------------------------------------------------------------------- allocation

absl::StatusOr<v1::Reservation> StockKeeper::Reserve(Session& s, const std::string& order_id,
                                                     const std::string& sku,
                                                     const std::string& warehouse_id,
                                                     int64_t quantity, absl::Duration ttl) {
  absl::Time now = host_->clock().Now();
  v1::Reservation reservation;
  reservation.set_reservation_id(host_->ids().Next("res"));
  reservation.set_order_id(order_id);
  reservation.set_sku(sku);
  reservation.set_warehouse_id(warehouse_id);
  reservation.set_quantity(quantity);
  reservation.set_status(v1::Reservation::ACTIVE);
  *reservation.mutable_created_at() = ToProtoTime(now);
  *reservation.mutable_updated_at() = reservation.created_at();
  if (ttl > absl::ZeroDuration()) *reservation.mutable_expires_at() = ToProtoTime(now + ttl);
  OMS_RETURN_IF_ERROR(store::InsertReservation(s, reservation));
  OMS_RETURN_IF_ERROR(store::AddReserved(s, sku, warehouse_id, quantity));
  return reservation;
}

absl::StatusOr<v1::Allocation> StockKeeper::LoadAllocation(Session& s,
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

absl::StatusOr<v1::Allocation> StockKeeper::Allocate(const v1::AllocateRequest& request) {
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
        std::vector<std::string> skus, unknown, inactive;
        for (const v1::AllocationLine& line : request.lines()) {
          lines.push_back({line.sku(), line.quantity()});
          skus.push_back(line.sku());
          absl::StatusOr<v1::Product> product = store::LoadProduct(s, line.sku());
          if (!product.ok()) {
            if (product.status().code() != absl::StatusCode::kNotFound) return product.status();
            unknown.push_back(line.sku());
          } else if (!product->active()) {
            inactive.push_back(line.sku());
          }
        }
        if (!unknown.empty()) {
          return absl::NotFoundError(absl::StrCat("unknown sku: ", absl::StrJoin(unknown, ", ")));
        }
        if (!inactive.empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("inactive sku: ", absl::StrJoin(inactive, ", ")));
        }
        OMS_ASSIGN_OR_RETURN(Availability available, store::AvailabilityOf(s, skus));
        OMS_ASSIGN_OR_RETURN(std::vector<WarehouseChoice> warehouses, store::ActiveWarehouses(s));
        AllocationPlan plan = PlanAllocation(
            lines, warehouses, available, request.region(),
            request.policy() == v1::SHIP_COMPLETE ? Policy::kShipComplete : Policy::kAllowPartial);

        absl::Time now = host_->clock().Now();
        if (existing.has_value()) {
          OMS_RETURN_IF_ERROR(
              store::UpdateAllocation(s, request.order_id(), request.policy(), request.region()));
        } else {
          OMS_RETURN_IF_ERROR(store::InsertAllocation(s, request.order_id(), request.policy(),
                                                      request.region(), lines, now));
        }
        answer.set_order_id(request.order_id());
        answer.set_policy(request.policy());
        answer.set_region(request.region());
        for (const Pick& pick : plan.picks) {
          OMS_ASSIGN_OR_RETURN(
              *answer.add_reservations(),
              Reserve(s, request.order_id(), pick.sku, pick.warehouse_id, pick.quantity, ttl));
        }
        v1::Backordered backordered;
        backordered.set_order_id(request.order_id());
        backordered.set_policy(request.policy());
        for (const LineQuantity& line : plan.backordered) {
          v1::Backorder backorder;
          backorder.set_order_id(request.order_id());
          backorder.set_sku(line.sku);
          backorder.set_quantity_requested(line.quantity);
          backorder.set_quantity_waiting(line.quantity);
          backorder.set_priority(request.backorder_priority());
          backorder.set_region(request.region());
          backorder.set_policy(request.policy());
          *backorder.mutable_created_at() = ToProtoTime(now);
          OMS_RETURN_IF_ERROR(store::InsertBackorder(s, backorder));
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
        if (!plan.backordered.empty()) {
          OMS_RETURN_IF_ERROR(host_->outbox().Append(s, request.order_id(), backordered).status());
        }
        return CheckLowStock(s, std::set<std::string>(skus.begin(), skus.end()));
      }));
  return answer;
}

absl::StatusOr<v1::Allocation> StockKeeper::GetAllocation(const v1::GetAllocationRequest& request) {
  v1::Allocation allocation;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(allocation, LoadAllocation(s, request.order_id()));
    return absl::OkStatus();
  }));
  return allocation;
}

absl::StatusOr<v1::Reservation> StockKeeper::EndReservation(Session& s, v1::Reservation reservation,
                                                            int64_t quantity,
                                                            v1::Reservation::Status status) {
  google::protobuf::Timestamp now = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(
      store::AddReserved(s, reservation.sku(), reservation.warehouse_id(), -quantity));
  if (quantity == reservation.quantity()) {
    reservation.set_status(status);
    *reservation.mutable_updated_at() = now;
    OMS_RETURN_IF_ERROR(store::UpdateReservation(s, reservation));
    return reservation;
  }
  // Part of it: the rest stays active; the ended part is kept as its own row for history.
  v1::Reservation rest = reservation;
  rest.set_quantity(reservation.quantity() - quantity);
  *rest.mutable_updated_at() = now;
  OMS_RETURN_IF_ERROR(store::UpdateReservation(s, rest));
  v1::Reservation ended = reservation;
  ended.set_reservation_id(host_->ids().Next("res"));
  ended.set_quantity(quantity);
  ended.set_status(status);
  *ended.mutable_updated_at() = now;
  OMS_RETURN_IF_ERROR(store::InsertReservation(s, ended));
  return ended;
}

absl::StatusOr<v1::ReleaseResponse> StockKeeper::Release(const v1::ReleaseRequest& request) {
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

absl::Status StockKeeper::ReleaseIn(
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
                         EndReservation(s, *it, take, v1::Reservation::RELEASED));
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
  OMS_ASSIGN_OR_RETURN(std::vector<v1::BackorderAllocation> served, ServeBackorders(s, freed));
  for (auto& allocation : served) *answer.add_backorders_allocated() = std::move(allocation);
  return CheckLowStock(s, freed);
}

absl::Status StockKeeper::AddToAllocation(
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
  AllocationPlan plan = PlanAllocation(
      lines, warehouses, available, region,
      policy == v1::SHIP_COMPLETE ? Policy::kShipComplete : Policy::kAllowPartial);
  absl::Time now = host_->clock().Now();
  OMS_RETURN_IF_ERROR(store::AddDemand(s, order_id, lines, now));
  for (const Pick& pick : plan.picks) {
    OMS_RETURN_IF_ERROR(
        Reserve(s, order_id, pick.sku, pick.warehouse_id, pick.quantity, absl::ZeroDuration())
            .status());
  }
  for (const LineQuantity& line : plan.backordered) {
    v1::Backorder backorder;
    backorder.set_order_id(order_id);
    backorder.set_sku(line.sku);
    backorder.set_quantity_requested(line.quantity);
    backorder.set_quantity_waiting(line.quantity);
    backorder.set_region(region);
    backorder.set_policy(policy);
    *backorder.mutable_created_at() = ToProtoTime(now);
    OMS_RETURN_IF_ERROR(store::InsertBackorder(s, backorder));
  }
  return CheckLowStock(s, std::set<std::string>(skus.begin(), skus.end()));
}

absl::Status StockKeeper::MoveReservations(Session& s, const std::string& order_id,
                                           const std::string& region,
                                           std::set<std::string>& freed) {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> active, ActiveReservationsOf(s, order_id, ""));
  std::map<std::string, int64_t> held;
  for (const v1::Reservation& r : active) {
    held[r.sku()] += r.quantity();
    OMS_RETURN_IF_ERROR(EndReservation(s, r, r.quantity(), v1::Reservation::RELEASED).status());
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
        Reserve(s, order_id, pick.sku, pick.warehouse_id, pick.quantity, absl::ZeroDuration())
            .status());
  }
  freed.insert(skus.begin(), skus.end());
  OMS_RETURN_IF_ERROR(store::SetBackorderRegion(s, order_id, region));
  OMS_ASSIGN_OR_RETURN(store::AllocationRecord record, RequireAllocation(s, order_id));
  return store::UpdateAllocation(s, order_id, record.policy, region);
}

absl::StatusOr<v1::Allocation> StockKeeper::AmendAllocation(
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
          OMS_RETURN_IF_ERROR(AddToAllocation(s, request.order_id(), record.policy, record.region,
                                              request.add()));
        }
        OMS_RETURN_IF_ERROR(ServeBackorders(s, freed).status());
        OMS_RETURN_IF_ERROR(CheckLowStock(s, freed));
        OMS_ASSIGN_OR_RETURN(answer, LoadAllocation(s, request.order_id()));
        v1::Allocated event;
        *event.mutable_allocation() = answer;
        return host_->outbox().Append(s, request.order_id(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::CommitResponse> StockKeeper::Commit(const v1::CommitRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(IsIdentifier(request.warehouse_id()), "warehouse_id", "is not a warehouse id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::CommitResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "Commit", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> active,
                             ActiveReservationsOf(s, request.order_id(), request.warehouse_id()));
        google::protobuf::Timestamp now = ToProtoTime(host_->clock().Now());
        for (v1::Reservation& r : active) {
          OMS_RETURN_IF_ERROR(store::AddReserved(s, r.sku(), r.warehouse_id(), -r.quantity()));
          OMS_RETURN_IF_ERROR(store::AddOnHand(s, r.sku(), r.warehouse_id(), -r.quantity()));
          OMS_ASSIGN_OR_RETURN(v1::StockLevel level, store::StockAt(s, r.sku(), r.warehouse_id()));
          v1::Adjustment shipment;
          shipment.set_sku(r.sku());
          shipment.set_warehouse_id(r.warehouse_id());
          shipment.set_delta(-r.quantity());
          shipment.set_reason(v1::SHIPMENT);
          shipment.set_actor("system");
          shipment.set_order_id(r.order_id());
          shipment.set_on_hand_after(level.on_hand());
          *shipment.mutable_occurred_at() = now;
          OMS_RETURN_IF_ERROR(store::AppendAdjustment(s, shipment).status());
          r.set_status(v1::Reservation::COMMITTED);
          *r.mutable_updated_at() = now;
          OMS_RETURN_IF_ERROR(store::UpdateReservation(s, r));
          *answer.add_committed() = r;
        }
        if (answer.committed().empty()) return absl::OkStatus();  // already committed
        v1::Committed event;
        event.set_order_id(request.order_id());
        event.set_warehouse_id(request.warehouse_id());
        *event.mutable_reservations() = answer.committed();
        return host_->outbox().Append(s, request.order_id(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::ListReservationsResponse> StockKeeper::ListReservations(
    const v1::ListReservationsRequest& request) {
  FieldErrors errors;
  CheckPageSize(request.page_size(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::ReservationQuery query;
  query.order_id = request.order_id();
  query.sku = request.sku();
  query.warehouse_id = request.warehouse_id();
  for (int status : request.statuses()) query.statuses.push_back(status);
  if (!request.page_token().empty()) {
    OMS_ASSIGN_OR_RETURN(query.after_id, DecodePageToken(request.page_token(), request));
  }
  int page_size = PageSize(request.page_size());
  query.limit = page_size + 1;
  v1::ListReservationsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> rows, store::ListReservations(s, query));
    bool more = static_cast<int>(rows.size()) > page_size;
    if (more) rows.pop_back();
    for (v1::Reservation& r : rows) *response.add_reservations() = std::move(r);
    if (more) {
      response.set_next_page_token(EncodePageToken(
          response.reservations(response.reservations_size() - 1).reservation_id(), request));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ExpireReservationsResponse> StockKeeper::ExpireReservations() {
  v1::ExpireReservationsResponse answer;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Reservation> due,
                         store::ActiveReservationsExpiredBy(s, host_->clock().Now()));
    std::set<std::string> freed;
    for (v1::Reservation& r : due) {
      OMS_ASSIGN_OR_RETURN(v1::Reservation expired,
                           EndReservation(s, r, r.quantity(), v1::Reservation::EXPIRED));
      v1::ReservationExpired event;
      *event.mutable_reservation() = expired;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, expired.order_id(), event).status());
      *answer.add_expired() = std::move(expired);
      freed.insert(r.sku());
    }
    OMS_RETURN_IF_ERROR(ServeBackorders(s, freed).status());
    return CheckLowStock(s, freed);
  }));
  return answer;
}

// ------------------------------------------------------------------------- backorders

absl::StatusOr<v1::ListBackordersResponse> StockKeeper::ListBackorders(
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

absl::StatusOr<std::vector<v1::BackorderAllocation>> StockKeeper::ServeBackorders(
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
                           Reserve(s, head.order_id(), pick.sku, pick.warehouse_id, pick.quantity,
                                   absl::ZeroDuration()));
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

// --------------------------------------------------------------------------- alerts

absl::Status StockKeeper::CheckLowStock(Session& s, const std::set<std::string>& skus) {
  for (const std::string& sku : skus) {
    OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, sku));
    OMS_ASSIGN_OR_RETURN(int64_t available, store::TotalAvailable(s, sku));
    OMS_ASSIGN_OR_RETURN(bool alerted, store::LowStockAlerted(s, sku));
    bool below = product.active() && available < product.safety_stock();
    if (below && !alerted) {
      OMS_RETURN_IF_ERROR(store::SetLowStockAlerted(s, sku, true));
      v1::LowStock event;
      event.set_sku(sku);
      event.set_available(available);
      event.set_safety_stock(product.safety_stock());
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, sku, event).status());
    } else if (!below && alerted) {
      OMS_RETURN_IF_ERROR(store::SetLowStockAlerted(s, sku, false));  // re-arm
    }
  }
  return absl::OkStatus();
}

// ------------------------------------------------------------------------------ admin

absl::StatusOr<v1::CheckInvariantsResponse> StockKeeper::CheckInvariants() {
  v1::CheckInvariantsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    int64_t rows = 0;
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Drift> drifts, store::FindDrift(s, &rows));
    response.set_stock_rows_checked(rows);
    for (v1::Drift& d : drifts) *response.add_drifts() = std::move(d);
    response.set_clean(response.drifts().empty());
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> StockKeeper::GetReplenishmentSuggestions(
    const v1::GetReplenishmentSuggestionsRequest& request) {
  FieldErrors errors;
  errors.Check(request.window_days() >= 0 && request.window_days() <= 365, "window_days",
               "must be between 0 and 365");
  errors.Check(request.cover_days() >= 0 && request.cover_days() <= 365, "cover_days",
               "must be between 0 and 365");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  const int64_t window = request.window_days() == 0 ? 30 : request.window_days();
  const int64_t cover = request.cover_days() == 0 ? 14 : request.cover_days();
  v1::GetReplenishmentSuggestionsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    std::vector<v1::Product> products;
    if (!request.sku().empty()) {
      OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, request.sku()));
      products.push_back(product);
    } else {
      std::string after;
      while (true) {
        OMS_ASSIGN_OR_RETURN(std::vector<v1::Product> page,
                             store::ListProducts(s, "", /*active_only=*/true, after, 1000));
        if (page.empty()) break;
        after = page.back().sku();
        products.insert(products.end(), page.begin(), page.end());
      }
    }
    OMS_ASSIGN_OR_RETURN(auto demand,
                         store::DemandSince(s, host_->clock().Now() - absl::Hours(24 * window)));
    std::vector<v1::ReplenishmentSuggestion> suggestions;
    for (const v1::Product& p : products) {
      v1::ReplenishmentSuggestion& out = suggestions.emplace_back();
      int64_t ordered = demand[p.sku()];
      OMS_ASSIGN_OR_RETURN(int64_t available, store::TotalAvailable(s, p.sku()));
      OMS_ASSIGN_OR_RETURN(int64_t waiting, store::WaitingQuantity(s, p.sku()));
      // Integer ceilings of demand over lead time (and over lead time plus cover).
      int64_t lead_demand = (ordered * p.lead_time_days() + window - 1) / window;
      int64_t target_demand = (ordered * (p.lead_time_days() + cover) + window - 1) / window;
      int64_t position = available - waiting;
      out.set_sku(p.sku());
      out.set_demand_in_window(ordered);
      out.set_average_daily_demand(static_cast<double>(ordered) / static_cast<double>(window));
      out.set_lead_time_days(p.lead_time_days());
      out.set_safety_stock(p.safety_stock());
      out.set_available(available);
      out.set_backordered(waiting);
      out.set_reorder_point(lead_demand + p.safety_stock());
      out.set_suggested_quantity(
          position < out.reorder_point() ? target_demand + p.safety_stock() - position : 0);
    }
    std::stable_sort(suggestions.begin(), suggestions.end(), [](const auto& a, const auto& b) {
      return (a.suggested_quantity() > 0) > (b.suggested_quantity() > 0);
    });
    for (auto& suggestion : suggestions) *response.add_suggestions() = std::move(suggestion);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::inventory
