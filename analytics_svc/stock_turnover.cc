#include "analytics_svc/stock_turnover.h"

#include <algorithm>

namespace oms::analytics {
namespace {

constexpr double kMicrosPerDay = 86400e6;

// One (sku, warehouse)'s changes [begin, end), walked as a step function of on hand.
v1::StockTurnover OneKey(std::vector<reports_store::StockChangeRow>::const_iterator begin,
                         std::vector<reports_store::StockChangeRow>::const_iterator end,
                         int64_t from_us, int64_t to_us) {
  v1::StockTurnover out;
  out.set_sku(begin->sku);
  out.set_warehouse_id(begin->warehouse_id);
  int64_t start = std::max(from_us, begin->at_us);
  int64_t level = 0;
  auto it = begin;
  for (; it != end && it->at_us < start; ++it) level += it->delta;
  double area = 0;  // unit-microseconds held
  int64_t previous = start;
  int64_t shipped = 0;
  for (; it != end; ++it) {
    area += static_cast<double>(level) * static_cast<double>(it->at_us - previous);
    previous = it->at_us;
    level += it->delta;
    if (it->shipped) shipped -= it->delta;
  }
  area += static_cast<double>(level) * static_cast<double>(to_us - previous);
  double span = static_cast<double>(std::max<int64_t>(1, to_us - start));
  out.set_on_hand(level);
  out.set_average_on_hand(area / span);
  out.set_shipped(shipped);
  out.set_turnover(out.average_on_hand() > 0 ? shipped / out.average_on_hand() : 0);
  out.set_no_shipments(shipped == 0);
  double per_day = shipped / (span / kMicrosPerDay);
  out.set_days_of_cover(shipped > 0 ? level / per_day : 0);
  return out;
}

}  // namespace

std::vector<v1::StockTurnover> StockTurnovers(
    const std::vector<reports_store::StockChangeRow>& changes, int64_t from_us, int64_t to_us) {
  std::vector<v1::StockTurnover> out;
  for (auto begin = changes.begin(); begin != changes.end();) {
    auto end = std::find_if(begin, changes.end(), [&](const auto& c) {
      return c.sku != begin->sku || c.warehouse_id != begin->warehouse_id;
    });
    out.push_back(OneKey(begin, end, from_us, to_us));
    begin = end;
  }
  return out;
}

}  // namespace oms::analytics
