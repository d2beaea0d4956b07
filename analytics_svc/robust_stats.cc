#include "analytics_svc/robust_stats.h"

#include <algorithm>
#include <cmath>

namespace oms::analytics::stats {
namespace {

// log of the binomial probability mass at k.
double LogBinomialPmf(int64_t k, int64_t n, double p) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
         (n - k) * std::log1p(-p);
}

double LogPoissonPmf(int64_t k, double lambda) {
  return k * std::log(lambda) - lambda - std::lgamma(k + 1.0);
}

}  // namespace

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

double Mad(const std::vector<double>& values) {
  double median = Median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - median));
  return Median(std::move(deviations));
}

double RobustZ(double x, double median, double mad, double floor) {
  return (x - median) / (1.4826 * std::max(mad, floor));
}

double BinomialUpperTail(int64_t k, int64_t n, double p) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  double sum = 0;
  for (int64_t i = k; i <= n; ++i) sum += std::exp(LogBinomialPmf(i, n, p));
  return std::min(1.0, sum);
}

double PoissonLowerTail(int64_t k, double lambda) {
  if (k < 0) return 0;
  if (lambda <= 0) return 1;
  double sum = 0;
  for (int64_t i = 0; i <= k; ++i) sum += std::exp(LogPoissonPmf(i, lambda));
  return std::min(1.0, sum);
}

double PoissonUpperTail(int64_t k, double lambda) {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  if (k <= lambda) return std::max(0.0, 1.0 - PoissonLowerTail(k - 1, lambda));
  // Above the mean the terms fall: summing them keeps small tails exact (1 - lower does not).
  double sum = 0;
  for (int64_t i = k;; ++i) {
    double term = std::exp(LogPoissonPmf(i, lambda));
    sum += term;
    if (term < sum * 1e-12 || i > k + 100000) break;
  }
  return std::min(1.0, sum);
}

double Surprise(double p) { return p <= 0 ? 300 : std::min(300.0, -std::log10(p)); }

}  // namespace oms::analytics::stats
