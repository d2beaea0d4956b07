#include "analytics_svc/robust_stats.h"

#include <cmath>

#include "gtest/gtest.h"

namespace oms::analytics::stats {
namespace {

TEST(RobustStatsTest, MedianAndMadIgnoreTheOutlier) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0);
  EXPECT_DOUBLE_EQ(Mad({1, 2, 3, 4, 1000}), 1);
}

TEST(RobustStatsTest, RobustZUsesTheFloorForAConstantHistory) {
  // A customer who always bought 1: MAD 0, the floor of 1 keeps the score finite.
  EXPECT_NEAR(RobustZ(900, 1, 0, 1), 899 / 1.4826, 1e-9);
  EXPECT_NEAR(RobustZ(2, 1, 0, 1), 1 / 1.4826, 1e-9);
}

TEST(RobustStatsTest, BinomialTailMatchesHandComputedValues) {
  // P(X >= 2 | n = 3, p = 0.5) = 4/8.
  EXPECT_NEAR(BinomialUpperTail(2, 3, 0.5), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(BinomialUpperTail(0, 10, 0.1), 1);
  EXPECT_DOUBLE_EQ(BinomialUpperTail(11, 10, 0.1), 0);
  // 15 delays in 50 parcels where 5% is usual is very unlikely.
  EXPECT_LT(BinomialUpperTail(15, 50, 0.05), 1e-6);
}

TEST(RobustStatsTest, PoissonTails) {
  EXPECT_NEAR(PoissonLowerTail(0, 10), std::exp(-10), 1e-15);
  EXPECT_NEAR(PoissonUpperTail(1, 2), 1 - std::exp(-2), 1e-12);
  // Far in the upper tail the sum stays exact where 1 - lower would round to 0.
  double tiny = PoissonUpperTail(60, 5);
  EXPECT_GT(tiny, 0);
  EXPECT_LT(tiny, 1e-30);
  EXPECT_NEAR(PoissonLowerTail(3, 4) + PoissonUpperTail(4, 4), 1, 1e-12);
}

TEST(RobustStatsTest, SurpriseIsMinusLog10) {
  EXPECT_NEAR(Surprise(1e-4), 4, 1e-12);
  EXPECT_DOUBLE_EQ(Surprise(0), 300);
}

}  // namespace
}  // namespace oms::analytics::stats
