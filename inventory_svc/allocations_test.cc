// Allocations on an in-memory store: policies, releases that feed the queue, amendments and
// expiry.
#include "inventory_svc/allocations.h"

#include "inventory_svc/testing/stock_fixture.h"

namespace oms::inventory {
namespace {

class AllocationsTest : public testing::StockFixture {
 protected:
  void SetUp() override {
    Product("TEA-1");
    Warehouse("SH-01", "East", 1);
    Warehouse("BJ-01", "North", 1);
    Receive("TEA-1", "SH-01", 5);
    Receive("TEA-1", "BJ-01", 5);
  }
};

TEST_F(AllocationsTest, NearerWarehousesFirstAndARetryAnswersTheSameAllocation) {
  v1::Allocation first = Allocate("ord_1", {{"TEA-1", 7}}, "North");
  ASSERT_TRUE(first.fully_allocated());
  EXPECT_EQ(Level("TEA-1", "BJ-01").reserved(), 5);
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 2);
  v1::Allocation again = Allocate("ord_1", {{"TEA-1", 7}}, "North");
  EXPECT_EQ(again.reservations_size(), first.reservations_size());
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 2);
}

TEST_F(AllocationsTest, ShipCompleteReservesNothingWhenShortAndUnknownSkusAreNamed) {
  v1::Allocation whole = Allocate("ord_1", {{"TEA-1", 12}}, "East", v1::SHIP_COMPLETE);
  EXPECT_FALSE(whole.fully_allocated());
  EXPECT_EQ(whole.reservations_size(), 0);
  v1::AllocateRequest unknown;
  unknown.set_order_id("ord_2");
  unknown.set_policy(v1::ALLOW_PARTIAL);
  for (const char* sku : {"NOPE-1", "NOPE-2"}) {
    v1::AllocationLine* line = unknown.add_lines();
    line->set_sku(sku);
    line->set_quantity(1);
  }
  absl::Status refused = allocations_.Allocate(unknown).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(refused.message().find("NOPE-1, NOPE-2"), std::string::npos) << refused;
}

TEST_F(AllocationsTest, AReleaseFeedsTheQueueAndTwiceIsHarmless) {
  Allocate("ord_1", {{"TEA-1", 10}});
  Allocate("ord_2", {{"TEA-1", 3}});  // all backordered
  v1::ReleaseRequest release;
  release.set_idempotency_key("cancel-1");
  release.set_order_id("ord_1");
  absl::StatusOr<v1::ReleaseResponse> released = allocations_.Release(release);
  ASSERT_TRUE(released.ok()) << released.status();
  ASSERT_EQ(released->backorders_allocated_size(), 1);
  EXPECT_EQ(released->backorders_allocated(0).order_id(), "ord_2");
  release.set_idempotency_key("cancel-again");
  released = allocations_.Release(release);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->released_size(), 0);
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved() + Level("TEA-1", "BJ-01").reserved(), 3);
}

TEST_F(AllocationsTest, AnAmendmentMovesReservationsToTheNewRegion) {
  Allocate("ord_1", {{"TEA-1", 4}}, "East");
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 4);
  v1::AmendAllocationRequest amend;
  amend.set_idempotency_key("moved");
  amend.set_order_id("ord_1");
  amend.set_region("North");
  absl::StatusOr<v1::Allocation> moved = allocations_.AmendAllocation(amend);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->region(), "North");
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 0);
  EXPECT_EQ(Level("TEA-1", "BJ-01").reserved(), 4);
}

TEST_F(AllocationsTest, ExpiredReservationsAreReleasedByTheClock) {
  v1::AllocateRequest request;
  request.set_idempotency_key("hold");
  request.set_order_id("ord_1");
  request.set_policy(v1::ALLOW_PARTIAL);
  request.mutable_reservation_ttl()->set_seconds(3600);
  v1::AllocationLine* line = request.add_lines();
  line->set_sku("TEA-1");
  line->set_quantity(2);
  ASSERT_TRUE(allocations_.Allocate(request).ok());
  absl::StatusOr<v1::ExpireReservationsResponse> early = allocations_.ExpireReservations();
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->expired_size(), 0);
  clock_.Advance(absl::Hours(2));
  absl::StatusOr<v1::ExpireReservationsResponse> late = allocations_.ExpireReservations();
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->expired_size(), 1);
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved() + Level("TEA-1", "BJ-01").reserved(), 0);
}

}  // namespace
}  // namespace oms::inventory
