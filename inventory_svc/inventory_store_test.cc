// The inventory store on an in-memory database: the constraints that make overselling
// impossible to commit, the drift check, and the queue's order.
#include "inventory_svc/inventory_store.h"

#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::inventory::store {
namespace {

class InventoryStoreTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("inventory", Migrations()).ok());
    ASSERT_TRUE(Write([](Session& s) -> absl::Status {
                  v1::Product p;
                  p.set_sku("TEA-1");
                  p.set_name("Tea");
                  p.mutable_unit_price()->set_currency_code("CNY");
                  p.set_active(true);
                  OMS_RETURN_IF_ERROR(InsertProduct(s, p));
                  v1::Warehouse w;
                  w.set_warehouse_id("SH-01");
                  w.set_name("Shanghai");
                  w.set_region("East");
                  w.set_active(true);
                  OMS_RETURN_IF_ERROR(InsertWarehouse(s, w));
                  OMS_RETURN_IF_ERROR(AddOnHand(s, "TEA-1", "SH-01", 5));
                  v1::Adjustment receipt;  // the ledger agrees with on hand
                  receipt.set_sku("TEA-1");
                  receipt.set_warehouse_id("SH-01");
                  receipt.set_delta(5);
                  receipt.set_reason(v1::RECEIPT);
                  receipt.set_on_hand_after(5);
                  return AppendAdjustment(s, receipt).status();
                }).ok());
  }

  absl::Status Write(const std::function<absl::Status(Session&)>& write) {
    return db_->Transact(write);
  }

  std::unique_ptr<Database> db_;
};

TEST_P(InventoryStoreTest, ReservingMoreThanIsOnHandCannotCommit) {
  EXPECT_TRUE(Write([](Session& s) { return AddReserved(s, "TEA-1", "SH-01", 5); }).ok());
  EXPECT_FALSE(Write([](Session& s) { return AddReserved(s, "TEA-1", "SH-01", 1); }).ok());
  EXPECT_FALSE(Write([](Session& s) { return AddOnHand(s, "TEA-1", "SH-01", -1); }).ok());
  absl::StatusOr<v1::StockLevel> level = [&] {
    absl::StatusOr<v1::StockLevel> out;
    EXPECT_TRUE(db_->Read([&](Session& s) {
                     out = StockAt(s, "TEA-1", "SH-01");
                     return out.status();
                   })
                    .ok());
    return out;
  }();
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(level->on_hand(), 5);
  EXPECT_EQ(level->reserved(), 5);
  EXPECT_EQ(level->available(), 0);
}

TEST_P(InventoryStoreTest, ReservedStockWithoutItsReservationsIsDrift) {
  ASSERT_TRUE(Write([](Session& s) { return AddReserved(s, "TEA-1", "SH-01", 2); }).ok());
  std::vector<v1::Drift> drifts;
  int64_t rows = 0;
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(drifts, FindDrift(s, &rows));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(rows, 1);
  ASSERT_EQ(drifts.size(), 1u);
  EXPECT_EQ(drifts[0].sku(), "TEA-1");
}

TEST_P(InventoryStoreTest, TheQueueIsByPriorityThenArrivalAndTheAlertFlagSticks) {
  ASSERT_TRUE(Write([](Session& s) -> absl::Status {
                int priority = 0;
                for (const char* order : {"ord_a", "ord_b", "ord_c"}) {
                  v1::Backorder b;
                  b.set_order_id(order);
                  b.set_sku("TEA-1");
                  b.set_quantity_requested(1);
                  b.set_quantity_waiting(1);
                  b.set_priority(priority++ == 2 ? 9 : 0);
                  *b.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(1));
                  OMS_RETURN_IF_ERROR(InsertBackorder(s, b));
                }
                return SetLowStockAlerted(s, "TEA-1", true);
              }).ok());
  std::vector<std::string> order;
  bool alerted = false;
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(std::vector<v1::Backorder> waiting,
                                        WaitingBackorders(s, "TEA-1", ""));
                   for (const v1::Backorder& b : waiting) order.push_back(b.order_id());
                   OMS_ASSIGN_OR_RETURN(alerted, LowStockAlerted(s, "TEA-1"));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(order, (std::vector<std::string>{"ord_c", "ord_a", "ord_b"}));
  EXPECT_TRUE(alerted);
}

OMS_ON_EVERY_ENGINE(InventoryStoreTest);

}  // namespace
}  // namespace oms::inventory::store
