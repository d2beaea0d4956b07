#include "platform/security/rate_limiter.h"

#include <algorithm>

namespace oms {

bool TokenBucketLimiter::TryTake(const std::string& key) {
  if (per_second_ <= 0) return true;
  absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!fresh) {
    double earned = absl::ToDoubleSeconds(now - bucket.refilled_at) * per_second_;
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, earned));
    bucket.refilled_at = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

}  // namespace oms
