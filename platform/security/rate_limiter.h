// Per-principal limits on write calls: the interface the auth processor asks, and the
// in-process token bucket (one process owns the store, SQLite). shared_rate_limiter.h holds
// the limit across replicas of a store.
#ifndef OMS_PLATFORM_SECURITY_RATE_LIMITER_H_
#define OMS_PLATFORM_SECURITY_RATE_LIMITER_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"

namespace oms {

// Decides whether a principal (`key`) may make one more write call. Thread-safe.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes one token for `key`; false when its limit is reached.
  virtual bool TryTake(const std::string& key) = 0;
  // The sustained rate, for the refusal's message; <= 0: unlimited.
  virtual double per_second() const = 0;
};

// A token bucket per key in this process: `per_second` sustained, bursts up to `burst`.
class TokenBucketLimiter : public RateLimiter {
 public:
  TokenBucketLimiter(double per_second, double burst, const Clock* clock = Clock::Real())
      : per_second_(per_second), burst_(burst), clock_(clock) {}

  bool TryTake(const std::string& key) override;
  double per_second() const override { return per_second_; }

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
