#ifndef OMS_PLATFORM_SECURITY_RATE_LIMITER_H_
#define OMS_PLATFORM_SECURITY_RATE_LIMITER_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"

namespace oms {

// A token bucket per key (a principal): `per_second` sustained, bursts up to `burst`.
// Thread-safe.
class RateLimiter {
 public:
  RateLimiter(double per_second, double burst, const Clock* clock = Clock::Real())
      : per_second_(per_second), burst_(burst), clock_(clock) {}

  // Takes one token for `key`; false when its bucket is empty. per_second <= 0: unlimited.
  bool TryTake(const std::string& key);
  double per_second() const { return per_second_; }

 private:
  struct Bucket {
    double tokens;
    absl::Time refilled_at;
  };
  const double per_second_;
  const double burst_;
  const Clock* clock_;
  absl::Mutex mu_;
  std::map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_RATE_LIMITER_H_
