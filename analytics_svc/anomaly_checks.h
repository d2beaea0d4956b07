// The decisions of anomaly detection, pure: whether what a window shows is unusual against a
// fitted baseline, by a statistical test rather than a fixed threshold, and by how much.
// Each false alarm recorded against a baseline (`dismissals`) raises the bar it must pass.
#ifndef OMS_ANALYTICS_SVC_ANOMALY_CHECKS_H_
#define OMS_ANALYTICS_SVC_ANOMALY_CHECKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oms/analytics/v1/anomalies.pb.h"

namespace oms::analytics {

// How unusual something must be, and how much evidence a test needs before it may speak.
struct AnomalyOptions {
  double surprise = 4;                // rates and counts: -log10(p) to pass (p < 1e-4)
  double surprise_per_dismissal = 2;  // each false alarm: 100x less likely needed
  double robust_z = 6;                // sizes (order quantity, amount, line quantity)
  double duration_z = 4;              // durations (transit, fulfilment)
  double z_widening = 1.5;            // each false alarm multiplies the z to pass
  double min_ratio = 3;               // sizes: at least this multiple of the median
  double min_rate_ratio = 2;          // rates: at least this multiple of the usual rate
  int64_t min_history_trials = 30;    // rates: outcomes the baseline rests on
  int64_t min_window_trials = 10;     // rates: outcomes in the window
  int64_t min_window_events = 3;      // rates: events in the window
  int64_t min_history_values = 20;    // durations and sku line quantities
  int64_t min_window_values = 5;      // durations in the window
  int64_t min_customer_orders = 3;    // a customer's own history
  int64_t min_days = 3;               // hourly counts: days seen at that hour of day
  double min_expected_per_hour = 5;   // hourly counts: too few to tell a drop from chance
};

// Why something was flagged, in the Anomaly's own fields (test, baseline, observed, score,
// threshold, samples); the caller adds what it is about and the explanation.
using Finding = v1::Anomaly;

// Events in a window against the baseline rate (one-sided binomial: more than usual).
std::optional<Finding> CheckRate(const v1::Baseline& baseline, int64_t events, int64_t trials,
                                 int dismissals, const AnomalyOptions& options);
// The window's median duration against the baseline's median and MAD (slower than usual).
std::optional<Finding> CheckDuration(const v1::Baseline& baseline,
                                     const std::vector<double>& window, int dismissals,
                                     const AnomalyOptions& options);
// One size (a quantity or an amount) against the median and MAD of its history.
std::optional<Finding> CheckSize(double value, const std::vector<double>& history, int dismissals,
                                 const AnomalyOptions& options);
std::optional<Finding> CheckSizeAgainst(double value, const v1::Baseline& baseline, int dismissals,
                                        const AnomalyOptions& options);
// An hour's count against the expected count (two-sided Poisson: a drop or a spike).
std::optional<Finding> CheckCount(const v1::Baseline& baseline, int64_t observed, int dismissals,
                                  const AnomalyOptions& options);

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANOMALY_CHECKS_H_
