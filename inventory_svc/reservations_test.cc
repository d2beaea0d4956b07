// Reservations on an in-memory store: ending part of one, committing at shipment.
#include "inventory_svc/reservations.h"

#include "inventory_svc/inventory_store.h"
#include "inventory_svc/testing/stock_fixture.h"
#include "platform/base/status.h"

namespace oms::inventory {
namespace {

class ReservationsTest : public testing::StockFixture {
 protected:
  void SetUp() override {
    Product("TEA-1");
    Warehouse("SH-01", "East", 1);
    Receive("TEA-1", "SH-01", 10);
  }
};

TEST_F(ReservationsTest, EndingPartOfAReservationKeepsTheRestActiveAndTheEndedPartAsHistory) {
  ASSERT_TRUE(host_->db()
                  .Transact([&](Session& s) -> absl::Status {
                    OMS_ASSIGN_OR_RETURN(v1::Reservation r,
                                         reservations_.Reserve(s, "ord_1", "TEA-1", "SH-01", 6,
                                                               absl::ZeroDuration()));
                    return reservations_.End(s, r, 2, v1::Reservation::RELEASED).status();
                  })
                  .ok());
  EXPECT_EQ(Level("TEA-1", "SH-01").reserved(), 4);
  v1::ListReservationsRequest list;
  list.set_order_id("ord_1");
  absl::StatusOr<v1::ListReservationsResponse> all = reservations_.List(list);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->reservations_size(), 2);
  int64_t active = 0, released = 0;
  for (const v1::Reservation& r : all->reservations()) {
    (r.status() == v1::Reservation::ACTIVE ? active : released) += r.quantity();
  }
  EXPECT_EQ(active, 4);
  EXPECT_EQ(released, 2);
}

TEST_F(ReservationsTest, CommitTakesTheGoodsOutOnceWithAShipmentInTheLedger) {
  Allocate("ord_1", {{"TEA-1", 3}});
  v1::CommitRequest commit;
  commit.set_idempotency_key("ship-1");
  commit.set_order_id("ord_1");
  commit.set_warehouse_id("SH-01");
  absl::StatusOr<v1::CommitResponse> first = reservations_.Commit(commit);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->committed_size(), 1);
  commit.set_idempotency_key("ship-again");  // a second commit finds nothing left to take
  absl::StatusOr<v1::CommitResponse> again = reservations_.Commit(commit);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->committed_size(), 0);
  v1::StockLevel level = Level("TEA-1", "SH-01");
  EXPECT_EQ(level.on_hand(), 7);
  EXPECT_EQ(level.reserved(), 0);
  commit.set_idempotency_key("ship-unknown");
  commit.set_order_id("ord_unknown");
  EXPECT_EQ(reservations_.Commit(commit).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace oms::inventory
