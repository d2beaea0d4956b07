#include "inventory_svc/stock_promise.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/purchase_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

// The stock of every line in every active warehouse: sku -> warehouse -> available.
using Available = std::map<std::string, std::map<std::string, int64_t>>;

// Warehouses in the order a promise prefers them: the ship-to region's first, then priority.
std::vector<v1::Warehouse> Preferred(std::vector<v1::Warehouse> warehouses,
                                     const std::string& region) {
  std::stable_sort(warehouses.begin(), warehouses.end(), [&](const auto& a, const auto& b) {
    return (a.region() == region) > (b.region() == region);
  });
  return warehouses;
}

// The first warehouse holding every line, else the first holding the most lines.
const v1::Warehouse& ShipFrom(const std::vector<v1::Warehouse>& warehouses,
                              const v1::PromiseStockRequest& request, Available& available) {
  const v1::Warehouse* best = &warehouses.front();
  int best_lines = -1;
  for (const v1::Warehouse& w : warehouses) {
    int lines = 0;
    for (const auto& line : request.lines()) {
      lines += available[line.sku()][w.warehouse_id()] >= line.quantity() ? 1 : 0;
    }
    if (lines > best_lines) {
      best = &w;
      best_lines = lines;
    }
    if (lines == request.lines_size()) break;
  }
  return *best;
}

// When a line short of stock can be had: the sent purchase order whose goods, after those
// the backorder queue waits for, cover it; else the product's lead time.
absl::Status PromiseShortLine(Session& s, int64_t short_by, absl::Time at, v1::LinePromise& line) {
  OMS_ASSIGN_OR_RETURN(int64_t waiting, store::WaitingQuantity(s, line.sku()));
  OMS_ASSIGN_OR_RETURN(std::vector<store::Inbound> inbound, store::InboundOf(s, line.sku()));
  int64_t needed = waiting + short_by;
  for (const store::Inbound& in : inbound) {
    needed -= in.outstanding;
    if (needed <= 0) {
      line.set_basis(v1::INBOUND_PURCHASE_ORDER);
      line.set_purchase_order_id(in.purchase_order_id);
      *line.mutable_available_at() = ToProtoTime(std::max(at, in.expected_at));
      return absl::OkStatus();
    }
  }
  OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, line.sku()));
  line.set_basis(v1::SUPPLIER_LEAD_TIME);
  *line.mutable_available_at() = ToProtoTime(at + absl::Hours(24) * product.lead_time_days());
  return absl::OkStatus();
}

}  // namespace

absl::Time ShipTime(const v1::Warehouse& warehouse, absl::Time ready) {
  const absl::Duration offset = absl::Minutes(warehouse.utc_offset_minutes());
  const absl::Duration day = absl::Hours(24);
  absl::Time local = ready + offset;  // a UTC instant whose calendar is the local one
  absl::Time midnight = absl::FromUnixSeconds(absl::ToUnixSeconds(local) / 86400 * 86400);
  absl::Duration into_day = local - midnight;
  int cutoff = warehouse.cutoff_minute();
  absl::Time handled = cutoff > 0 && into_day >= absl::Minutes(cutoff) ? midnight + day : midnight;
  absl::Duration leaves = cutoff > 0 ? absl::Minutes(cutoff) : day;
  return handled + day * warehouse.handling_days() + leaves - offset;
}

absl::StatusOr<v1::PromiseStockResponse> StockPromise::Promise(
    const v1::PromiseStockRequest& request) {
  FieldErrors errors;
  CheckLines(request.lines(), /*required=*/true, errors);
  errors.MaxLength(request.region(), 64, "region");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  absl::Time at = request.has_at() ? FromProtoTime(request.at()) : host_->clock().Now();
  v1::PromiseStockResponse answer;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    answer.Clear();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Warehouse> all, store::ListWarehouses(s, "", true));
    if (all.empty()) return absl::FailedPreconditionError("no active warehouse to ship from");
    std::vector<v1::Warehouse> warehouses = Preferred(std::move(all), request.region());
    Available available;
    std::map<std::string, int64_t> total;
    for (const auto& line : request.lines()) {
      OMS_RETURN_IF_ERROR(store::LoadProduct(s, line.sku()).status());
      OMS_ASSIGN_OR_RETURN(std::vector<v1::StockLevel> levels, store::StockOfSku(s, line.sku()));
      for (const v1::StockLevel& level : levels) {
        available[line.sku()][level.warehouse_id()] = level.available();
        total[line.sku()] += std::max<int64_t>(0, level.available());
      }
    }
    const v1::Warehouse& from = ShipFrom(warehouses, request, available);
    absl::Time goods_there = at;
    answer.set_basis(v1::IN_STOCK);
    for (const auto& line : request.lines()) {
      v1::LinePromise* promised = answer.add_lines();
      promised->set_sku(line.sku());
      promised->set_quantity(line.quantity());
      // Stock elsewhere counts as in stock: the order is split or moved, not waited for.
      if (total[line.sku()] >= line.quantity()) {
        promised->set_basis(v1::IN_STOCK);
        *promised->mutable_available_at() = ToProtoTime(at);
      } else {
        OMS_RETURN_IF_ERROR(
            PromiseShortLine(s, line.quantity() - total[line.sku()], at, *promised));
      }
      goods_there = std::max(goods_there, FromProtoTime(promised->available_at()));
      answer.set_basis(std::max(answer.basis(), promised->basis()));
    }
    answer.set_warehouse_id(from.warehouse_id());
    answer.set_warehouse_region(from.region());
    *answer.mutable_ready_at() = ToProtoTime(ShipTime(from, goods_there));
    return absl::OkStatus();
  }));
  return answer;
}

}  // namespace oms::inventory
