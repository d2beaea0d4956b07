// Inventory turnover and days of cover per (sku, warehouse), computed from the ledger's
// on-hand changes: the time-weighted average on hand over a range, the units shipped in it,
// and how many days the stock at its end lasts at that pace. A pure function.
#ifndef OMS_ANALYTICS_SVC_STOCK_TURNOVER_H_
#define OMS_ANALYTICS_SVC_STOCK_TURNOVER_H_

#include <cstdint>
#include <vector>

#include "analytics_svc/reports_store.h"
#include "oms/analytics/v1/analytics.pb.h"

namespace oms::analytics {

// `changes` ordered by sku, warehouse and time, all before `to_us`. A key's range starts at
// `from_us` or at its first change, whichever is later (history before the suite knew the
// stock is not counted as zero stock).
std::vector<v1::StockTurnover> StockTurnovers(
    const std::vector<reports_store::StockChangeRow>& changes, int64_t from_us, int64_t to_us);

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_STOCK_TURNOVER_H_
