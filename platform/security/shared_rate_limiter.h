// The write limit of each principal across every replica of a service. One token bucket per
// principal lives in the service's store (table rate_buckets); a replica takes tokens from
// it a batch at a time (a tenth of a second's worth, at least one) inside a short write
// transaction and spends them locally, so only one call in a batch costs a round trip.
//
// Together the replicas admit at most what one bucket would, plus the batch each replica
// may be holding (held tokens lapse after a second, so none are hoarded). A principal over
// its limit is refused locally for the time the bucket needs to earn a batch, so a flood of
// refused calls does not become a flood of transactions. While the store cannot be reached
// each replica falls back to a bucket of its own: calls are then limited per replica
// rather than not at all.
#ifndef OMS_PLATFORM_SECURITY_SHARED_RATE_LIMITER_H_
#define OMS_PLATFORM_SECURITY_SHARED_RATE_LIMITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/security/rate_limiter.h"
#include "platform/storage/database.h"

namespace oms {

class SharedRateLimiter : public RateLimiter {
 public:
  // `db` outlives the limiter and has Migrations() applied.
  SharedRateLimiter(Database* db, double per_second, double burst,
                    const Clock* clock = Clock::Real());

  static const std::vector<Migration>& Migrations();

  bool TryTake(const std::string& key) override;
  double per_second() const override { return per_second_; }
  // Tokens taken from the store per transaction.
  int64_t batch() const { return batch_; }

 private:
  // What this replica holds of one principal's bucket.
  struct Held {
    int64_t tokens = 0;
    absl::Time lapses_at = absl::InfinitePast();      // unspent tokens are given up then
    absl::Time refused_until = absl::InfinitePast();  // the bucket was empty: do not ask
  };

  // Takes up to `wanted` whole tokens of `key`'s bucket in the store; answers how many.
  absl::StatusOr<int64_t> TakeFromStore(const std::string& key, int64_t wanted, absl::Time now);

  Database* db_;
  const double per_second_;
  const double burst_;
  const int64_t batch_;
  const Clock* clock_;
  TokenBucketLimiter fallback_;
  absl::Mutex mu_;  // held across the store's transaction: one refill of a replica at a time
  std::map<std::string, Held> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_SHARED_RATE_LIMITER_H_
