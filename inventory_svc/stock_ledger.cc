#include "inventory_svc/stock_ledger.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/page_token.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

namespace oms::inventory {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int64_t kMaxAdjustment = 1'000'000'000;

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

}  // namespace

absl::StatusOr<v1::StockSummary> StockLedger::GetStock(const v1::GetStockRequest& request) {
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

absl::StatusOr<v1::ListStockResponse> StockLedger::ListStock(const v1::ListStockRequest& request) {
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

absl::StatusOr<v1::AdjustStockResponse> StockLedger::AdjustStock(
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
                               queue_->Serve(s, {request.sku()}));
          for (auto& allocation : served)
            *answer.add_backorders_allocated() = std::move(allocation);
          OMS_ASSIGN_OR_RETURN(*answer.mutable_level(),
                               store::StockAt(s, request.sku(), request.warehouse_id()));
        }
        return replenishment_->CheckLowStock(s, {request.sku()});
      }));
  return answer;
}

absl::StatusOr<v1::ListAdjustmentsResponse> StockLedger::ListAdjustments(
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

absl::StatusOr<v1::CheckInvariantsResponse> StockLedger::CheckInvariants() {
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

}  // namespace oms::inventory
