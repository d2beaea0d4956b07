// Replenishment on an in-memory store: the low-stock alert once per crossing, and reorder
// suggestions from demand.
#include "inventory_svc/replenishment.h"

#include <algorithm>

#include "inventory_svc/testing/stock_fixture.h"

namespace oms::inventory {
namespace {

class ReplenishmentTest : public testing::StockFixture {
 protected:
  void SetUp() override {
    Product("TEA-1", /*safety_stock=*/5);
    Warehouse("SH-01", "East", 1);
  }

  int LowStockEvents() {
    std::vector<std::string> events = Events();
    return static_cast<int>(std::count(events.begin(), events.end(), "LowStock"));
  }
};

TEST_F(ReplenishmentTest, LowStockIsRaisedOncePerCrossingAndReArmedOnRecovery) {
  Receive("TEA-1", "SH-01", 10);
  EXPECT_EQ(LowStockEvents(), 0);
  Allocate("ord_1", {{"TEA-1", 6}});  // available 4 < 5
  EXPECT_EQ(LowStockEvents(), 1);
  Allocate("ord_2", {{"TEA-1", 1}});  // still below: no second alert
  EXPECT_EQ(LowStockEvents(), 1);
  Receive("TEA-1", "SH-01", 10);  // recovered: re-armed
  Allocate("ord_3", {{"TEA-1", 10}});
  EXPECT_EQ(LowStockEvents(), 2);
}

TEST_F(ReplenishmentTest, SuggestsReorderingBelowTheReorderPoint) {
  Receive("TEA-1", "SH-01", 4);
  Allocate("ord_1", {{"TEA-1", 30}});  // 30 ordered in the window, 26 backordered
  v1::GetReplenishmentSuggestionsRequest request;
  request.set_sku("TEA-1");
  request.set_window_days(30);
  request.set_cover_days(14);
  absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> answer = replenishment_.Suggest(request);
  ASSERT_TRUE(answer.ok()) << answer.status();
  ASSERT_EQ(answer->suggestions_size(), 1);
  const v1::ReplenishmentSuggestion& s = answer->suggestions(0);
  EXPECT_EQ(s.demand_in_window(), 30);
  EXPECT_EQ(s.backordered(), 26);
  EXPECT_EQ(s.reorder_point(), 7 + 5);  // a day's demand over 7 days' lead time, plus safety
  // Cover 21 days of demand plus safety stock, from a position of 0 - 26.
  EXPECT_EQ(s.suggested_quantity(), 21 + 5 + 26);
  request.set_window_days(400);
  EXPECT_EQ(replenishment_.Suggest(request).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace oms::inventory
