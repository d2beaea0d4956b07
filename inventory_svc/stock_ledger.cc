#include "inventory_svc/stock_ledger.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

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
  ListPage page = ListPage::Read(request, errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::StockQuery query;
  query.sku = request.sku();
  query.warehouse_id = request.warehouse_id();
  query.category = request.category();
  query.below_safety_stock_only = request.below_safety_stock_only();
  if (page.after().has_value()) {
    query.after = absl::StrSplit(*page.after(), absl::MaxSplits('\n', 1));
  }
  query.limit = page.fetch_limit();
  v1::ListStockResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::StockLevel> levels, store::ListStock(s, query));
    response.set_next_page_token(
        page.Take(levels, response.mutable_levels(), [](const v1::StockLevel& last) {
          return absl::StrCat(last.sku(), "\n", last.warehouse_id());
        }));
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
  OMS_RETURN_IF_ERROR(host_->idempotency().Run("AdjustStock", request.idempotency_key(), request,
                                               &answer, [&](Session& s) -> absl::Status {
                                                 OMS_ASSIGN_OR_RETURN(answer, Apply(s, request));
                                                 return absl::OkStatus();
                                               }));
  return answer;
}

absl::StatusOr<v1::AdjustStockResponse> StockLedger::Apply(Session& s,
                                                           const v1::AdjustStockRequest& request) {
  v1::AdjustStockResponse answer;
  OMS_RETURN_IF_ERROR(store::LoadProduct(s, request.sku()).status());
  OMS_RETURN_IF_ERROR(store::LoadWarehouse(s, request.warehouse_id()).status());
  OMS_ASSIGN_OR_RETURN(v1::StockLevel before,
                       store::StockAt(s, request.sku(), request.warehouse_id()));
  if (before.on_hand() + request.delta() < before.reserved()) {
    return absl::FailedPreconditionError(
        absl::StrCat("on hand of ", request.sku(), " at ", request.warehouse_id(), " would become ",
                     before.on_hand() + request.delta(), ", below the ", before.reserved(),
                     " reserved (release or commit reservations first)"));
  }
  OMS_RETURN_IF_ERROR(store::AddOnHand(s, request.sku(), request.warehouse_id(), request.delta()));
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
    for (auto& allocation : served) *answer.add_backorders_allocated() = std::move(allocation);
    OMS_ASSIGN_OR_RETURN(*answer.mutable_level(),
                         store::StockAt(s, request.sku(), request.warehouse_id()));
  }
  OMS_RETURN_IF_ERROR(replenishment_->CheckLowStock(s, {request.sku()}));
  return answer;
}

absl::StatusOr<v1::ListAdjustmentsResponse> StockLedger::ListAdjustments(
    const v1::ListAdjustmentsRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  store::AdjustmentQuery query;
  query.after_id = page.NumberAfter(errors).value_or(0);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  query.sku = request.sku();
  query.warehouse_id = request.warehouse_id();
  if (request.has_from()) query.from_us = TimeUtil::TimestampToMicroseconds(request.from());
  if (request.has_to()) query.to_us = TimeUtil::TimestampToMicroseconds(request.to());
  query.limit = page.fetch_limit();
  v1::ListAdjustmentsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Adjustment> rows, store::ListAdjustments(s, query));
    response.set_next_page_token(
        page.Take(rows, response.mutable_adjustments(),
                  [](const v1::Adjustment& last) { return absl::StrCat(last.adjustment_id()); }));
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
