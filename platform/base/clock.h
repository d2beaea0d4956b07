#ifndef OMS_PLATFORM_BASE_CLOCK_H_
#define OMS_PLATFORM_BASE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace oms {

// Source of the current time. Everything that compares against "now" (timeouts, SLAs, delay
// detection, history timestamps) takes a Clock so tests can move time without sleeping.
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // The process-wide wall clock.
  static Clock* Real();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600));  // 2026-01-01Z
  absl::Time Now() const override;
  void Advance(absl::Duration by);
  void Set(absl::Time to);
  // Every reading moves the clock on by `step` afterwards, as a real clock moves between two
  // readings: code that compares a time it read with one read later sees them differ.
  void TickOnRead(absl::Duration step);

 private:
  mutable absl::Mutex mu_;
  mutable absl::Time now_ ABSL_GUARDED_BY(mu_);
  absl::Duration tick_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_CLOCK_H_
