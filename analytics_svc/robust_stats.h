// The statistics the anomaly detectors stand on, chosen to need no model and to resist the
// outliers they look for: median and MAD for sizes and durations, exact binomial and Poisson
// tail probabilities for rates and counts.
#ifndef OMS_ANALYTICS_SVC_ROBUST_STATS_H_
#define OMS_ANALYTICS_SVC_ROBUST_STATS_H_

#include <cstdint>
#include <vector>

namespace oms::analytics::stats {

// Median of `values` (the mean of the middle two for an even count); 0 for none.
double Median(std::vector<double> values);
// Median absolute deviation from the median; 0 for none.
double Mad(const std::vector<double>& values);
// How many standard deviations `x` lies above `median`, estimating the deviation from the MAD
// (1.4826 MAD for normal data). `floor` bounds the MAD from below so that a history of equal
// values (MAD 0: a customer who always buys 1) still gives a finite score.
double RobustZ(double x, double median, double mad, double floor);
// P(X >= k) for X ~ Binomial(n, p).
double BinomialUpperTail(int64_t k, int64_t n, double p);
// P(X <= k) and P(X >= k) for X ~ Poisson(lambda).
double PoissonLowerTail(int64_t k, double lambda);
double PoissonUpperTail(int64_t k, double lambda);
// -log10(p), capped at 300 for p = 0: "how unusual" on a readable scale.
double Surprise(double p);

}  // namespace oms::analytics::stats

#endif  // OMS_ANALYTICS_SVC_ROBUST_STATS_H_
