// One mutex per key, without a map that grows: keys hash onto a fixed set of stripes, so two
// callers working on the same key (the same order's workflow, say) take turns, and callers on
// different keys rarely wait for each other. Thread-safe.
#ifndef OMS_PLATFORM_BASE_STRIPED_MUTEX_H_
#define OMS_PLATFORM_BASE_STRIPED_MUTEX_H_

#include <array>
#include <cstddef>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace oms {

template <size_t kStripes = 256>
class StripedMutex {
 public:
  // The mutex of `key`'s stripe: hold it with absl::MutexLock.
  absl::Mutex& For(absl::string_view key) {
    return stripes_[absl::Hash<absl::string_view>()(key) % kStripes];
  }

 private:
  std::array<absl::Mutex, kStripes> stripes_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_STRIPED_MUTEX_H_
