#ifndef OMS_PLATFORM_BASE_TTL_CACHE_H_
#define OMS_PLATFORM_BASE_TTL_CACHE_H_

#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"

namespace oms {

// Values fetched from another service that change rarely (a product's weight, a
// warehouse's region), kept for `ttl` so that a hot path does not ask again for each order.
// A fetch error is returned and not kept. Thread-safe; concurrent misses may fetch twice.
template <typename V>
class TtlCache {
 public:
  TtlCache(const Clock* clock, absl::Duration ttl) : clock_(clock), ttl_(ttl) {}

  absl::StatusOr<V> Get(const std::string& key, absl::FunctionRef<absl::StatusOr<V>()> fetch) {
    absl::Time now = clock_->Now();
    {
      absl::MutexLock lock(&mu_);
      auto found = entries_.find(key);
      if (found != entries_.end() && now < found->second.first) return found->second.second;
    }
    absl::StatusOr<V> value = fetch();
    if (value.ok() && ttl_ > absl::ZeroDuration()) {
      absl::MutexLock lock(&mu_);
      if (entries_.size() >= kMaxEntries) entries_.clear();  // crude bound; refills quickly
      entries_[key] = {now + ttl_, *value};
    }
    return value;
  }

 private:
  static constexpr size_t kMaxEntries = 100000;
  const Clock* clock_;
  const absl::Duration ttl_;
  absl::Mutex mu_;
  std::map<std::string, std::pair<absl::Time, V>> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_TTL_CACHE_H_
