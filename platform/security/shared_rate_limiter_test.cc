#include "platform/security/shared_rate_limiter.h"

#include <memory>

#include "gtest/gtest.h"
#include "platform/storage/open_database.h"
#include "platform/testing/store_test.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

// Two replicas of one service: on PostgreSQL two connections to one database, on SQLite two
// handles on one file.
class SharedRateLimiterTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    const std::string target = NewTarget(dir_.File("store.db"));
    ASSERT_FALSE(target.empty());
    for (auto* db : {&first_, &second_}) {
      absl::StatusOr<std::unique_ptr<Database>> opened = OpenDatabase(target);
      ASSERT_TRUE(opened.ok()) << opened.status();
      *db = std::move(*opened);
      ASSERT_TRUE((*db)->Migrate("rate_limits", SharedRateLimiter::Migrations()).ok());
    }
  }

  // Calls of `key` admitted when both replicas take turns until both refuse.
  static int AdmittedUntilRefused(SharedRateLimiter& a, SharedRateLimiter& b,
                                  const std::string& key) {
    int admitted = 0;
    for (int i = 0; i < 10000; ++i) {
      bool by_a = a.TryTake(key), by_b = b.TryTake(key);
      admitted += by_a + by_b;
      if (!by_a && !by_b) break;
    }
    return admitted;
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1000)};
  std::unique_ptr<Database> first_, second_;
};

TEST_P(SharedRateLimiterTest, ReplicasTogetherAdmitOneBurstThenTheRate) {
  SharedRateLimiter a(first_.get(), /*per_second=*/100, /*burst=*/50, &clock_);
  SharedRateLimiter b(second_.get(), /*per_second=*/100, /*burst=*/50, &clock_);
  EXPECT_EQ(a.batch(), 10);
  // Per replica, each would have admitted 50: together they admit 50, not 100.
  EXPECT_EQ(AdmittedUntilRefused(a, b, "erp"), 50);
  // Half a second earns 50 tokens; the local refusal window (one batch, 0.1 s) has passed.
  clock_.Advance(absl::Milliseconds(500));
  EXPECT_EQ(AdmittedUntilRefused(a, b, "erp"), 50);
  // A long pause refills only up to the burst.
  clock_.Advance(absl::Seconds(60));
  EXPECT_EQ(AdmittedUntilRefused(a, b, "erp"), 50);
}

TEST_P(SharedRateLimiterTest, BucketsArePerPrincipal) {
  SharedRateLimiter a(first_.get(), 10, 3, &clock_);
  SharedRateLimiter b(second_.get(), 10, 3, &clock_);
  EXPECT_EQ(AdmittedUntilRefused(a, b, "web"), 3);
  EXPECT_EQ(AdmittedUntilRefused(a, b, "erp"), 3);
}

TEST_P(SharedRateLimiterTest, ARefusedPrincipalDoesNotAskTheStoreAgainAtOnce) {
  SharedRateLimiter a(first_.get(), 100, 10, &clock_);
  EXPECT_EQ(AdmittedUntilRefused(a, a, "erp"), 10);
  const int64_t commits = first_->commits();
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(a.TryTake("erp"));
  EXPECT_EQ(first_->commits(), commits);  // refused locally until a batch is earned
  clock_.Advance(absl::Milliseconds(100));
  EXPECT_TRUE(a.TryTake("erp"));
  EXPECT_EQ(first_->commits(), commits + 1);
}

TEST_P(SharedRateLimiterTest, HeldTokensLapseInsteadOfPilingUp) {
  SharedRateLimiter a(first_.get(), 100, 100, &clock_);
  SharedRateLimiter b(second_.get(), 100, 100, &clock_);
  EXPECT_TRUE(a.TryTake("erp"));  // a holds the other 9 of its batch
  EXPECT_EQ(AdmittedUntilRefused(b, b, "erp"), 90);
  clock_.Advance(absl::Seconds(2));  // a's 9 lapse; the bucket refills to 100
  EXPECT_EQ(AdmittedUntilRefused(a, b, "erp"), 100);
}

TEST_P(SharedRateLimiterTest, ZeroRateMeansUnlimitedWithoutTouchingTheStore) {
  SharedRateLimiter a(first_.get(), 0, 0, &clock_);
  const int64_t commits = first_->commits();
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(a.TryTake("ops"));
  EXPECT_EQ(first_->commits(), commits);
}

OMS_ON_EVERY_ENGINE(SharedRateLimiterTest);

}  // namespace
}  // namespace oms
