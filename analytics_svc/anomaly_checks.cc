#include "analytics_svc/anomaly_checks.h"

#include <algorithm>
#include <cmath>

#include "analytics_svc/robust_stats.h"

namespace oms::analytics {
namespace {

double ZToPass(double base, int dismissals, const AnomalyOptions& options) {
  return base * std::pow(options.z_widening, dismissals);
}

double SurpriseToPass(int dismissals, const AnomalyOptions& options) {
  return options.surprise + options.surprise_per_dismissal * dismissals;
}

Finding Found(const std::string& test, double baseline, double spread, double observed,
              int64_t samples, double score, double threshold) {
  Finding f;
  f.set_test(test);
  f.set_baseline(baseline);
  f.set_spread(spread);
  f.set_observed(observed);
  f.set_samples(samples);
  f.set_score(score);
  f.set_threshold(threshold);
  return f;
}

std::optional<Finding> Size(double value, double median, double mad, int64_t samples,
                            int dismissals, const AnomalyOptions& options) {
  // A floor for the spread: a customer who always bought one unit has a MAD of 0, and one
  // unit more must not count as infinitely unusual.
  double floor = std::max(1.0, 0.25 * median);
  double z = stats::RobustZ(value, median, mad, floor);
  double pass = ZToPass(options.robust_z, dismissals, options);
  if (z < pass || value < options.min_ratio * std::max(median, 1.0)) return std::nullopt;
  return Found("robust_z", median, mad, value, samples, z, pass);
}

}  // namespace

std::optional<Finding> CheckRate(const v1::Baseline& baseline, int64_t events, int64_t trials,
                                 int dismissals, const AnomalyOptions& options) {
  if (baseline.samples() < options.min_history_trials || trials < options.min_window_trials ||
      events < options.min_window_events) {
    return std::nullopt;
  }
  // A history without events is not proof the rate is 0: half an event of prior evidence.
  double usual = std::max(baseline.center(), 0.5 / static_cast<double>(baseline.samples()));
  double observed = static_cast<double>(events) / static_cast<double>(trials);
  if (observed < options.min_rate_ratio * usual) return std::nullopt;
  double score = stats::Surprise(stats::BinomialUpperTail(events, trials, usual));
  double pass = SurpriseToPass(dismissals, options);
  if (score < pass) return std::nullopt;
  Finding f = Found("binomial", usual, 0, observed, baseline.samples(), score, pass);
  return f;
}

std::optional<Finding> CheckDuration(const v1::Baseline& baseline,
                                     const std::vector<double>& window, int dismissals,
                                     const AnomalyOptions& options) {
  if (baseline.samples() < options.min_history_values ||
      static_cast<int64_t>(window.size()) < options.min_window_values) {
    return std::nullopt;
  }
  double observed = stats::Median(window);
  // Durations vary by minutes: a tenth of the median (at least a minute) bounds the MAD.
  double floor = std::max(1.0 / 60, 0.1 * baseline.center());
  double z = stats::RobustZ(observed, baseline.center(), baseline.spread(), floor);
  double pass = ZToPass(options.duration_z, dismissals, options);
  if (z < pass) return std::nullopt;
  return Found("robust_z", baseline.center(), baseline.spread(), observed, baseline.samples(), z,
               pass);
}

std::optional<Finding> CheckSize(double value, const std::vector<double>& history, int dismissals,
                                 const AnomalyOptions& options) {
  if (static_cast<int64_t>(history.size()) < options.min_customer_orders) return std::nullopt;
  return Size(value, stats::Median(history), stats::Mad(history),
              static_cast<int64_t>(history.size()), dismissals, options);
}

std::optional<Finding> CheckSizeAgainst(double value, const v1::Baseline& baseline, int dismissals,
                                        const AnomalyOptions& options) {
  if (baseline.samples() < options.min_history_values) return std::nullopt;
  return Size(value, baseline.center(), baseline.spread(), baseline.samples(), dismissals, options);
}

std::optional<Finding> CheckCount(const v1::Baseline& baseline, int64_t observed, int dismissals,
                                  const AnomalyOptions& options) {
  double expected = baseline.center();
  if (baseline.samples() < options.min_days || expected < options.min_expected_per_hour) {
    return std::nullopt;
  }
  double p = observed < expected ? stats::PoissonLowerTail(observed, expected)
                                 : stats::PoissonUpperTail(observed, expected);
  double score = stats::Surprise(p);
  double pass = SurpriseToPass(dismissals, options);
  if (score < pass) return std::nullopt;
  return Found("poisson", expected, 0, static_cast<double>(observed), baseline.samples(), score,
               pass);
}

}  // namespace oms::analytics
