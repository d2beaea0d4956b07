#include "platform/security/rate_limiter.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(RateLimiterTest, AllowsABurstThenRefillsWithTime) {
  FakeClock clock(absl::FromUnixSeconds(1000));
  TokenBucketLimiter limiter(/*per_second=*/2, /*burst=*/3, &clock);
  EXPECT_TRUE(limiter.TryTake("erp"));
  EXPECT_TRUE(limiter.TryTake("erp"));
  EXPECT_TRUE(limiter.TryTake("erp"));
  EXPECT_FALSE(limiter.TryTake("erp"));
  clock.Advance(absl::Milliseconds(500));  // one token back
  EXPECT_TRUE(limiter.TryTake("erp"));
  EXPECT_FALSE(limiter.TryTake("erp"));
  clock.Advance(absl::Seconds(60));  // refills only up to the burst
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.TryTake("erp"));
  EXPECT_FALSE(limiter.TryTake("erp"));
}

TEST(RateLimiterTest, BucketsArePerKey) {
  FakeClock clock(absl::FromUnixSeconds(1000));
  TokenBucketLimiter limiter(1, 1, &clock);
  EXPECT_TRUE(limiter.TryTake("web"));
  EXPECT_FALSE(limiter.TryTake("web"));
  EXPECT_TRUE(limiter.TryTake("erp"));
}

TEST(RateLimiterTest, ZeroRateMeansUnlimited) {
  TokenBucketLimiter limiter(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.TryTake("ops"));
}

}  // namespace
}  // namespace oms
