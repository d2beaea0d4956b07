#include "analytics_svc/stock_turnover.h"

#include "gtest/gtest.h"

namespace oms::analytics {
namespace {

constexpr int64_t kDay = 86400LL * 1000000;

TEST(StockTurnoverTest, AverageOnHandIsTimeWeightedAndCoverFollowsThePace) {
  // 100 in at day 0; 20 shipped at day 5; 30 shipped at day 10; range days 0-20.
  std::vector<reports_store::StockChangeRow> changes = {
      {"TEA", "SH-01", 100, false, 0},
      {"TEA", "SH-01", -20, true, 5 * kDay},
      {"TEA", "SH-01", -30, true, 10 * kDay},
      {"TEA", "SH-01", -5, false, 15 * kDay},  // damage: not a sale
  };
  std::vector<v1::StockTurnover> out = StockTurnovers(changes, 0, 20 * kDay);
  ASSERT_EQ(out.size(), 1u);
  // (100*5 + 80*5 + 50*5 + 45*5) / 20 = 68.75
  EXPECT_DOUBLE_EQ(out[0].average_on_hand(), 68.75);
  EXPECT_EQ(out[0].shipped(), 50);
  EXPECT_EQ(out[0].on_hand(), 45);
  EXPECT_DOUBLE_EQ(out[0].turnover(), 50 / 68.75);
  EXPECT_DOUBLE_EQ(out[0].days_of_cover(), 45 / 2.5);  // 2.5 a day
  EXPECT_FALSE(out[0].no_shipments());
}

TEST(StockTurnoverTest, TheRangeStartsAtTheKeysHistoryAndKeysAreSeparate) {
  std::vector<reports_store::StockChangeRow> changes = {
      {"CUP", "BJ-01", 10, false, 10 * kDay},
      {"CUP", "SH-01", 40, false, 0},
      {"CUP", "SH-01", -10, true, 2 * kDay},
  };
  // From day 1: SH-01 held 40 before the range; BJ-01's history starts on day 10.
  std::vector<v1::StockTurnover> out = StockTurnovers(changes, kDay, 12 * kDay);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].warehouse_id(), "BJ-01");
  EXPECT_DOUBLE_EQ(out[0].average_on_hand(), 10);
  EXPECT_TRUE(out[0].no_shipments());
  EXPECT_EQ(out[0].days_of_cover(), 0);
  EXPECT_EQ(out[1].warehouse_id(), "SH-01");
  EXPECT_DOUBLE_EQ(out[1].average_on_hand(), (40.0 * 1 + 30.0 * 10) / 11);
  EXPECT_EQ(out[1].shipped(), 10);
  EXPECT_TRUE(StockTurnovers({}, 0, kDay).empty());
}

}  // namespace
}  // namespace oms::analytics
