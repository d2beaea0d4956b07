#include "inventory_svc/allocator.h"

#include "gtest/gtest.h"

namespace oms::inventory {
namespace {

// Shanghai (East) priority 2, Beijing (North) priority 1, Guangzhou (South) priority 3.
std::vector<WarehouseChoice> Warehouses() {
  return {{"SH", "East", 2}, {"BJ", "North", 1}, {"GZ", "South", 3}};
}

std::string Describe(const AllocationPlan& plan) {
  std::string out;
  for (const Pick& p : plan.picks) {
    out += p.sku + "@" + p.warehouse_id + "=" + std::to_string(p.quantity) + " ";
  }
  for (const LineQuantity& b : plan.backordered) {
    out += b.sku + " backordered " + std::to_string(b.quantity) + " ";
  }
  return out;
}

TEST(AllocatorTest, OneWarehouseCoveringEverythingPrefersTheShipToRegion) {
  Availability stock = {{{"SH", "A"}, 5}, {{"SH", "B"}, 5}, {{"BJ", "A"}, 5}, {{"BJ", "B"}, 5}};
  AllocationPlan plan =
      PlanAllocation({{"A", 2}, {"B", 3}}, Warehouses(), stock, "East", Policy::kAllowPartial);
  EXPECT_EQ(Describe(plan), "A@SH=2 B@SH=3 ");
}

TEST(AllocatorTest, WithoutRegionMatchPriorityDecides) {
  Availability stock = {{{"SH", "A"}, 5}, {{"BJ", "A"}, 5}, {{"GZ", "A"}, 5}};
  AllocationPlan plan =
      PlanAllocation({{"A", 2}}, Warehouses(), stock, "West", Policy::kAllowPartial);
  EXPECT_EQ(Describe(plan), "A@BJ=2 ");
}

TEST(AllocatorTest, SingleWarehouseBeatsRegionWhenRegionCannotCoverAlone) {
  // East has A but not B; North has both: one warehouse wins over a split.
  Availability stock = {{{"SH", "A"}, 5}, {{"BJ", "A"}, 5}, {{"BJ", "B"}, 5}};
  AllocationPlan plan =
      PlanAllocation({{"A", 1}, {"B", 1}}, Warehouses(), stock, "East", Policy::kAllowPartial);
  EXPECT_EQ(Describe(plan), "A@BJ=1 B@BJ=1 ");
}

TEST(AllocatorTest, SplitsAcrossTheFewestWarehouses) {
  // 10 of A needed: SH 4, BJ 3, GZ 7. Two warehouses suffice; {SH, GZ} is the first pair
  // (in preference order for region East) that covers.
  Availability stock = {{{"SH", "A"}, 4}, {{"BJ", "A"}, 3}, {{"GZ", "A"}, 7}};
  AllocationPlan plan =
      PlanAllocation({{"A", 10}}, Warehouses(), stock, "East", Policy::kAllowPartial);
  EXPECT_EQ(Describe(plan), "A@SH=4 A@GZ=6 ");
  EXPECT_TRUE(plan.backordered.empty());
}

TEST(AllocatorTest, SplitCoversSeveralLinesTogether) {
  Availability stock = {{{"SH", "A"}, 2}, {{"BJ", "B"}, 2}, {{"GZ", "A"}, 1}, {{"GZ", "B"}, 1}};
  AllocationPlan plan =
      PlanAllocation({{"A", 2}, {"B", 2}}, Warehouses(), stock, "", Policy::kAllowPartial);
  // No single warehouse has both; BJ (priority 1) + SH (priority 2) cover both lines.
  EXPECT_EQ(Describe(plan), "A@SH=2 B@BJ=2 ");
}

TEST(AllocatorTest, AllowPartialReservesWhatExistsAndBackordersTheRest) {
  Availability stock = {{{"SH", "A"}, 2}, {{"BJ", "A"}, 1}, {{"BJ", "B"}, 4}};
  AllocationPlan plan = PlanAllocation({{"A", 5}, {"B", 4}, {"C", 1}}, Warehouses(), stock, "",
                                       Policy::kAllowPartial);
  EXPECT_EQ(Describe(plan), "A@BJ=1 A@SH=2 B@BJ=4 A backordered 2 C backordered 1 ");
}

TEST(AllocatorTest, ShipCompleteReservesNothingWhenAnythingIsShort) {
  Availability stock = {{{"SH", "A"}, 9}, {{"BJ", "B"}, 1}};
  AllocationPlan plan =
      PlanAllocation({{"A", 2}, {"B", 2}}, Warehouses(), stock, "", Policy::kShipComplete);
  EXPECT_TRUE(plan.picks.empty());
  EXPECT_EQ(Describe(plan), "A backordered 2 B backordered 2 ");
}

TEST(AllocatorTest, ShipCompleteAllocatesNormallyWhenNothingIsShort) {
  Availability stock = {{{"SH", "A"}, 1}, {{"BJ", "A"}, 1}};
  AllocationPlan plan = PlanAllocation({{"A", 2}}, Warehouses(), stock, "", Policy::kShipComplete);
  EXPECT_EQ(Describe(plan), "A@BJ=1 A@SH=1 ");
}

TEST(AllocatorTest, NoWarehousesMeansEverythingWaits) {
  AllocationPlan plan = PlanAllocation({{"A", 2}}, {}, {}, "East", Policy::kAllowPartial);
  EXPECT_EQ(Describe(plan), "A backordered 2 ");
}

TEST(AllocatorTest, SamePlanForTheSameSnapshot) {
  // Determinism is what makes a repeated Allocate idempotent in effect.
  Availability stock = {{{"SH", "A"}, 4}, {{"BJ", "A"}, 3}, {{"GZ", "A"}, 7}};
  std::string first =
      Describe(PlanAllocation({{"A", 9}}, Warehouses(), stock, "", Policy::kAllowPartial));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Describe(PlanAllocation({{"A", 9}}, Warehouses(), stock, "", Policy::kAllowPartial)),
              first);
  }
}

TEST(AllocatorTest, ManyWarehousesUseAGreedyCover) {
  std::vector<WarehouseChoice> many;
  Availability stock;
  for (int i = 0; i < 20; ++i) {
    std::string id = "W" + std::to_string(100 + i);
    many.push_back({id, "R", i + 1});
    stock[{id, "A"}] = i == 19 ? 50 : 3;  // the least preferred holds the most
  }
  AllocationPlan plan = PlanAllocation({{"A", 52}}, many, stock, "", Policy::kAllowPartial);
  ASSERT_EQ(plan.picks.size(), 2u);  // the big one plus one more
  int64_t total = 0;
  for (const Pick& p : plan.picks) total += p.quantity;
  EXPECT_EQ(total, 52);
}

}  // namespace
}  // namespace oms::inventory
