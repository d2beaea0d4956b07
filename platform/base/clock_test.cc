#include "platform/base/clock.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  clock.Advance(absl::Minutes(5));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(400));
  clock.Set(absl::FromUnixSeconds(7));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(7));
}

TEST(FakeClockTest, CanTickOnEveryReadingLikeARealClock) {
  FakeClock clock(absl::FromUnixSeconds(100));
  clock.TickOnRead(absl::Microseconds(1));
  absl::Time first = clock.Now();
  EXPECT_EQ(first, absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), first + absl::Microseconds(1));
  clock.TickOnRead(absl::ZeroDuration());
  EXPECT_EQ(clock.Now(), clock.Now());
}

TEST(RealClockTest, IsCloseToWallTime) {
  absl::Duration skew = Clock::Real()->Now() - absl::Now();
  EXPECT_LT(absl::AbsDuration(skew), absl::Seconds(5));
}

}  // namespace
}  // namespace oms
