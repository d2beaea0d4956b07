// The stock ledger on an in-memory store: adjustments, their rules, and what a receipt
// does for the backorder queue.
#include "inventory_svc/stock_ledger.h"

#include "inventory_svc/testing/stock_fixture.h"

namespace oms::inventory {
namespace {

class StockLedgerTest : public testing::StockFixture {
 protected:
  void SetUp() override {
    Product("TEA-1");
    Warehouse("SH-01", "East", 1);
  }

  absl::StatusOr<v1::AdjustStockResponse> Adjust(int64_t delta, v1::AdjustmentReason reason,
                                                 const std::string& key) {
    v1::AdjustStockRequest request;
    request.set_idempotency_key(key);
    request.set_sku("TEA-1");
    request.set_warehouse_id("SH-01");
    request.set_delta(delta);
    request.set_reason(reason);
    return ledger_.AdjustStock(request);
  }
};

TEST_F(StockLedgerTest, EveryAdjustmentIsInTheLedgerOnceAndSetsOnHand) {
  ASSERT_TRUE(Adjust(10, v1::RECEIPT, "r1").ok());
  ASSERT_TRUE(Adjust(10, v1::RECEIPT, "r1").ok());  // retried: no second effect
  absl::StatusOr<v1::AdjustStockResponse> damaged = Adjust(-3, v1::DAMAGE, "d1");
  ASSERT_TRUE(damaged.ok()) << damaged.status();
  EXPECT_EQ(damaged->adjustment().on_hand_after(), 7);
  EXPECT_EQ(Level("TEA-1", "SH-01").on_hand(), 7);
  v1::ListAdjustmentsRequest list;
  list.set_page_size(1);
  absl::StatusOr<v1::ListAdjustmentsResponse> page = ledger_.ListAdjustments(list);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->adjustments_size(), 1);
  list.set_page_token(page->next_page_token());
  page = ledger_.ListAdjustments(list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->adjustments_size(), 1);
  EXPECT_EQ(page->next_page_token(), "");
  absl::StatusOr<v1::CheckInvariantsResponse> invariants = ledger_.CheckInvariants();
  ASSERT_TRUE(invariants.ok());
  EXPECT_TRUE(invariants->clean());
}

TEST_F(StockLedgerTest, SignsFollowTheReasonAndNothingGoesBelowWhatIsReserved) {
  absl::Status wrong_sign = Adjust(5, v1::DAMAGE, "bad").status();
  EXPECT_EQ(wrong_sign.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong_sign.message().find("delta"), std::string::npos) << wrong_sign;
  Receive("TEA-1", "SH-01", 5);
  Allocate("ord_1", {{"TEA-1", 4}});
  absl::Status below = Adjust(-2, v1::LOSS, "lost").status();
  EXPECT_EQ(below.code(), absl::StatusCode::kFailedPrecondition) << below;
  EXPECT_EQ(Level("TEA-1", "SH-01").on_hand(), 5);
}

TEST_F(StockLedgerTest, AReceiptServesTheBackorderQueueInTheSameTransaction) {
  v1::Allocation short_one = Allocate("ord_1", {{"TEA-1", 3}});
  EXPECT_FALSE(short_one.fully_allocated());
  v1::AdjustStockResponse received = Receive("TEA-1", "SH-01", 5);
  ASSERT_EQ(received.backorders_allocated_size(), 1);
  EXPECT_TRUE(received.backorders_allocated(0).fully_allocated());
  EXPECT_EQ(received.level().reserved(), 3);
  absl::StatusOr<v1::StockSummary> stock = [&] {
    v1::GetStockRequest get;
    get.set_sku("TEA-1");
    return ledger_.GetStock(get);
  }();
  ASSERT_TRUE(stock.ok());
  EXPECT_EQ(stock->available(), 2);
  EXPECT_EQ(stock->backordered(), 0);
}

}  // namespace
}  // namespace oms::inventory
