#ifndef OMS_PLATFORM_BASE_OFFSET_CLOCK_H_
#define OMS_PLATFORM_BASE_OFFSET_CLOCK_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/clock.h"

namespace oms {

// For end-to-end tests of the real binaries only (--test_clock_offset_file): the wall clock
// moved on by the duration written in a file ("30h", "90m"; absent or empty: 0). A test
// that writes a new offset moves every process's "now" at once, and then triggers the
// sweeps it wants (RunDetection, RunWorkflows) instead of sleeping. The file is re-read
// when it is replaced or changes. Thread-safe.
class OffsetFileClock : public Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  absl::Time Now() const override;

 private:
  const std::string path_;
  mutable absl::Mutex mu_;
  mutable bool read_once_ ABSL_GUARDED_BY(mu_) = false;
  mutable std::array<int64_t, 4> seen_ ABSL_GUARDED_BY(mu_) = {};  // mtime s, ns, size, inode
  mutable absl::Duration offset_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_OFFSET_CLOCK_H_
