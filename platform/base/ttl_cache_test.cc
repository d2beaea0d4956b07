#include "platform/base/ttl_cache.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(TtlCacheTest, AsksOnceWithinTheTtlAndAgainAfterIt) {
  FakeClock clock;
  TtlCache<int> cache(&clock, absl::Seconds(60));
  int fetches = 0;
  auto fetch = [&]() -> absl::StatusOr<int> { return ++fetches * 10; };
  EXPECT_EQ(*cache.Get("sku", fetch), 10);
  clock.Advance(absl::Seconds(59));
  EXPECT_EQ(*cache.Get("sku", fetch), 10);
  EXPECT_EQ(fetches, 1);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(*cache.Get("sku", fetch), 20);
  EXPECT_EQ(*cache.Get("other", fetch), 30);
}

TEST(TtlCacheTest, ErrorsAreNotKeptAndZeroTtlMeansNoCache) {
  FakeClock clock;
  TtlCache<int> cache(&clock, absl::Seconds(60));
  EXPECT_FALSE(
      cache.Get("sku", [] { return absl::StatusOr<int>(absl::UnavailableError("down")); }).ok());
  EXPECT_EQ(*cache.Get("sku", [] { return absl::StatusOr<int>(5); }), 5);
  TtlCache<int> none(&clock, absl::ZeroDuration());
  int fetches = 0;
  auto fetch = [&]() -> absl::StatusOr<int> { return ++fetches; };
  none.Get("a", fetch).IgnoreError();
  none.Get("a", fetch).IgnoreError();
  EXPECT_EQ(fetches, 2);
}

}  // namespace
}  // namespace oms
