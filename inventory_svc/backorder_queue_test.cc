// The backorder queue on an in-memory store: who is served first, and SHIP_COMPLETE only
// whole.
#include "inventory_svc/backorder_queue.h"

#include "inventory_svc/testing/stock_fixture.h"

namespace oms::inventory {
namespace {

class BackorderQueueTest : public testing::StockFixture {
 protected:
  void SetUp() override {
    Product("TEA-1");
    Product("CUP-1");
    Warehouse("SH-01", "East", 1);
  }

  std::vector<std::string> Waiting() {
    std::vector<std::string> orders;
    absl::StatusOr<v1::ListBackordersResponse> list = queue_.List(v1::ListBackordersRequest());
    EXPECT_TRUE(list.ok());
    if (list.ok()) {
      for (const v1::Backorder& b : list->backorders()) orders.push_back(b.order_id());
    }
    return orders;
  }
};

TEST_F(BackorderQueueTest, PriorityFirstThenFirstCome) {
  Allocate("ord_early", {{"TEA-1", 2}});
  Allocate("ord_later", {{"TEA-1", 2}});
  Allocate("ord_vip", {{"TEA-1", 2}}, "East", v1::ALLOW_PARTIAL, /*priority=*/5);
  v1::AdjustStockResponse received = Receive("TEA-1", "SH-01", 4);
  ASSERT_EQ(received.backorders_allocated_size(), 2);
  EXPECT_EQ(received.backorders_allocated(0).order_id(), "ord_vip");
  EXPECT_EQ(received.backorders_allocated(1).order_id(), "ord_early");
  EXPECT_EQ(Waiting(), (std::vector<std::string>{"ord_later"}));
}

TEST_F(BackorderQueueTest, AShipCompleteOrderIsServedOnlyWholeAndKeepsItsPlace) {
  Allocate("ord_whole", {{"TEA-1", 2}, {"CUP-1", 1}}, "East", v1::SHIP_COMPLETE);
  v1::AdjustStockResponse tea = Receive("TEA-1", "SH-01", 5);
  EXPECT_EQ(tea.backorders_allocated_size(), 0);  // the cup is still missing
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 0);
  v1::AdjustStockResponse cup = Receive("CUP-1", "SH-01", 1);
  ASSERT_EQ(cup.backorders_allocated_size(), 1);
  EXPECT_TRUE(cup.backorders_allocated(0).fully_allocated());
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 2);
  EXPECT_TRUE(Waiting().empty());
  std::vector<std::string> events = Events();
  EXPECT_NE(std::find(events.begin(), events.end(), "BackorderAllocated"), events.end());
}

}  // namespace
}  // namespace oms::inventory
