#include "orchestrator_svc/return_refund.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "platform/base/status.h"

namespace oms::orchestrator {
namespace {

// Units and list value of one sku, summed over the lines it is on.
struct Bought {
  int64_t units = 0;
  int64_t value = 0;
};

absl::btree_map<std::string, Bought> BoughtBySku(const order::v1::Order& order) {
  absl::btree_map<std::string, Bought> bought;
  for (const order::v1::OrderLine& line : order.lines()) {
    Bought& sku = bought[line.sku()];
    sku.units += line.quantity();
    sku.value += line.line_total().minor_units();
  }
  return bought;
}

absl::btree_map<std::string, int64_t> ReturnedBySku(const ReturnLines& lines) {
  absl::btree_map<std::string, int64_t> returned;
  for (const v1::ReturnLine& line : lines) returned[line.sku()] += line.quantity();
  return returned;
}

}  // namespace

void CheckReturnLines(const order::v1::Order& order, const ReturnLines& lines,
                      absl::string_view field, FieldErrors& errors) {
  if (!errors.Check(!lines.empty(), field, "at least one line is required")) return;
  absl::btree_map<std::string, Bought> bought = BoughtBySku(order);
  bool lines_ok = true;
  for (int i = 0; i < lines.size(); ++i) {
    const v1::ReturnLine& line = lines[i];
    std::string sku_field = IndexedField(field, i, "sku");
    if (errors.Required(line.sku(), sku_field)) {
      lines_ok &= errors.Check(bought.contains(line.sku()), sku_field,
                               absl::StrCat(line.sku(), " is not on order ", order.order_id()));
    } else {
      lines_ok = false;
    }
    lines_ok &=
        errors.Check(line.quantity() > 0, IndexedField(field, i, "quantity"), "must be > 0");
  }
  if (!lines_ok) return;
  for (const auto& [sku, units] : ReturnedBySku(lines)) {
    int64_t has = bought.at(sku).units;
    errors.Check(units <= has, field,
                 absl::StrCat(sku, " x", units, " is more than the order has (", has, ")"));
  }
}

absl::StatusOr<ReturnRefund> PriceReturn(const order::v1::Order& order, const ReturnLines& lines) {
  const std::string& currency = order.currency_code();
  absl::btree_map<std::string, Bought> bought = BoughtBySku(order);
  Money list = Money::Zero(currency);
  for (const auto& [sku, units] : ReturnedBySku(lines)) {
    // Only what the order had is worth anything: lines kept before they were checked (a
    // return received by an older version) are counted up to it.
    auto it = bought.find(sku);
    if (it == bought.end() || units <= 0 || it->second.units <= 0) continue;
    int64_t counted = std::min(units, it->second.units);
    // The sku's list value over all its lines, shared by units (its average price).
    OMS_ASSIGN_OR_RETURN(Money value, Money::Of(it->second.value, currency));
    OMS_ASSIGN_OR_RETURN(Money share, value.Share(counted, it->second.units));
    OMS_ASSIGN_OR_RETURN(list, list.Plus(share));
  }
  int64_t subtotal = order.subtotal().minor_units();
  if (subtotal <= 0) return ReturnRefund{Money::Zero(currency), Money::Zero(currency)};
  // The discount and the tax were worked out on the whole subtotal: each unit carries its
  // part of both in proportion to its list value.
  int64_t discounted = subtotal - order.discount().minor_units();
  OMS_ASSIGN_OR_RETURN(Money goods, list.Share(discounted, subtotal));
  OMS_ASSIGN_OR_RETURN(Money tax, Money::Of(order.tax().minor_units(), currency));
  OMS_ASSIGN_OR_RETURN(Money tax_share, tax.Share(list.minor_units(), subtotal));
  return ReturnRefund{goods, tax_share};
}

}  // namespace oms::orchestrator
