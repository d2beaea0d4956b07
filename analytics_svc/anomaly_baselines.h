// Baselines fitted from the facts of the history span (what the suite itself recorded):
// rates of late parcels and exception tickets, median and MAD of durations and of sku line
// quantities, and the expected orders per hour of day per channel.
#ifndef OMS_ANALYTICS_SVC_ANOMALY_BASELINES_H_
#define OMS_ANALYTICS_SVC_ANOMALY_BASELINES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analytics_svc/reports_store.h"
#include "oms/analytics/v1/anomalies.pb.h"
#include "platform/storage/database.h"

namespace oms::analytics {

// The metrics, with the dimension each is kept per.
inline constexpr char kDelayRate[] = "delay_rate";              // per carrier
inline constexpr char kExceptionRate[] = "exception_rate";      // per channel, carrier, warehouse
inline constexpr char kTransitHours[] = "transit_hours";        // per carrier
inline constexpr char kHandlingHours[] = "handling_hours";      // per warehouse (label to pickup)
inline constexpr char kFulfilmentHours[] = "fulfilment_hours";  // per channel
inline constexpr char kOrdersPerHour[] = "orders_per_hour";     // per channel and hour of day
inline constexpr char kLineQuantity[] = "line_quantity";        // per sku
inline constexpr char kOrderQuantity[] = "order_quantity";      // per customer, at scoring
inline constexpr char kOrderAmount[] = "order_amount_minor";    // per customer, at scoring

// Every baseline of `history`, stamped `fitted_us`.
absl::StatusOr<std::vector<v1::Baseline>> FitBaselines(Session& s, reports_store::TimeSpan history,
                                                       int64_t fitted_us);

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANOMALY_BASELINES_H_
