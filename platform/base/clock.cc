#include "platform/base/clock.h"

namespace oms {
namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

Clock* Clock::Real() {
  static RealClock* clock = new RealClock();
  return clock;
}

FakeClock::FakeClock(absl::Time start) : now_(start) {}

absl::Time FakeClock::Now() const {
  absl::MutexLock lock(&mu_);
  absl::Time read = now_;
  now_ += tick_;
  return read;
}

void FakeClock::TickOnRead(absl::Duration step) {
  absl::MutexLock lock(&mu_);
  tick_ = step;
}

void FakeClock::Advance(absl::Duration by) {
  absl::MutexLock lock(&mu_);
  now_ += by;
}

void FakeClock::Set(absl::Time to) {
  absl::MutexLock lock(&mu_);
  now_ = to;
}

}  // namespace oms
