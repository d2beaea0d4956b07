// Delivery promises from stock: where the goods sit, when a purchase order brings them after
// the queue ahead, the lead time otherwise, and the warehouse's cut-off and handling days.
#include "inventory_svc/stock_promise.h"

#include "inventory_svc/purchase_orders.h"
#include "inventory_svc/suppliers.h"
#include "inventory_svc/testing/stock_fixture.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

TEST(ShipTimeTest, CutOffAndHandlingDaysInTheWarehousesLocalTime) {
  v1::Warehouse w;
  w.set_utc_offset_minutes(8 * 60);                             // UTC+8
  w.set_cutoff_minute(16 * 60);                                 // 16:00 local
  absl::Time midnight_utc = absl::FromUnixSeconds(1767225600);  // 2026-01-01 00:00 UTC
  // 10:00 local (02:00 UTC): leaves today at 16:00 local = 08:00 UTC.
  EXPECT_EQ(ShipTime(w, midnight_utc + absl::Hours(2)), midnight_utc + absl::Hours(8));
  // 17:00 local (09:00 UTC): after the cut-off, leaves tomorrow at 16:00 local.
  EXPECT_EQ(ShipTime(w, midnight_utc + absl::Hours(9)), midnight_utc + kDay + absl::Hours(8));
  w.set_handling_days(2);
  EXPECT_EQ(ShipTime(w, midnight_utc + absl::Hours(2)), midnight_utc + 2 * kDay + absl::Hours(8));
  // No cut-off: handled the day it arrives, leaves at the end of that local day.
  v1::Warehouse plain;
  EXPECT_EQ(ShipTime(plain, midnight_utc + absl::Hours(23)), midnight_utc + kDay);
}

class StockPromiseTest : public testing::StockFixture {
 protected:
  void SetUp() override {
    Product("TEA-1");
    Product("CUP-1");
    Warehouse("SH-01", "East", 1);
    Warehouse("BJ-01", "North", 2);
    Receive("TEA-1", "SH-01", 5);
    Receive("TEA-1", "BJ-01", 20);
  }

  v1::PromiseStockResponse Promise(const std::string& region,
                                   const std::vector<std::pair<std::string, int64_t>>& lines) {
    v1::PromiseStockRequest request;
    request.set_region(region);
    for (const auto& [sku, quantity] : lines) {
      v1::AllocationLine* line = request.add_lines();
      line->set_sku(sku);
      line->set_quantity(quantity);
    }
    absl::StatusOr<v1::PromiseStockResponse> answer = promise_.Promise(request);
    EXPECT_TRUE(answer.ok()) << answer.status();
    return answer.ok() ? *answer : v1::PromiseStockResponse();
  }

  StockPromise promise_{host_.get()};
};

TEST_F(StockPromiseTest, InStockGoodsLeaveTheRegionsWarehouseOrTheOneThatHasThem) {
  v1::PromiseStockResponse east = Promise("East", {{"TEA-1", 3}});
  EXPECT_EQ(east.warehouse_id(), "SH-01");
  EXPECT_EQ(east.basis(), v1::IN_STOCK);
  EXPECT_EQ(FromProtoTime(east.ready_at()),
            absl::FromUnixSeconds(absl::ToUnixSeconds(clock_.Now()) / 86400 * 86400) + kDay);
  // SH-01 has 5: 10 leave from BJ-01, which holds them all.
  EXPECT_EQ(Promise("East", {{"TEA-1", 10}}).warehouse_id(), "BJ-01");
  EXPECT_EQ(Promise("North", {{"TEA-1", 1}}).warehouse_id(), "BJ-01");
}

TEST_F(StockPromiseTest, ShortGoodsComeWithAPurchaseOrderAfterTheQueueOrWithTheLeadTime) {
  // No stock, nothing on order: the product's lead time (7 days), a guess.
  v1::PromiseStockResponse guess = Promise("East", {{"CUP-1", 4}, {"TEA-1", 1}});
  EXPECT_EQ(guess.basis(), v1::SUPPLIER_LEAD_TIME);
  EXPECT_EQ(FromProtoTime(guess.lines(0).available_at()), clock_.Now() + 7 * kDay);
  EXPECT_EQ(guess.lines(1).basis(), v1::IN_STOCK);
  // A purchase order of 10 sent with a 3-day lead time; 8 already wait in the queue.
  Suppliers suppliers(host_.get());
  v1::SaveSupplierRequest save;
  save.mutable_supplier()->set_supplier_id("KILN");
  save.mutable_supplier()->set_name("Kiln");
  save.mutable_supplier()->set_email("k@kiln.example");
  save.mutable_supplier()->set_currency("CNY");
  v1::SupplyTerm* term = save.mutable_supplier()->add_terms();
  term->set_sku("CUP-1");
  term->set_pack_size(10);
  term->set_lead_time_days(3);
  ASSERT_TRUE(suppliers.Save(save).ok());
  Allocate("ord_1", {{"CUP-1", 8}});
  PurchaseOrders orders(host_.get(), &ledger_, &replenishment_, *auth::ApprovalLimits::Parse(""));
  v1::DraftPurchaseOrdersRequest draft;
  draft.set_sku("CUP-1");
  std::string id = orders.Draft(draft)->drafts(0).purchase_order_id();
  v1::ApprovePurchaseOrderRequest approve;
  approve.set_purchase_order_id(id);
  ASSERT_TRUE(orders.Approve(approve).ok());
  v1::SendPurchaseOrderRequest send;
  send.set_purchase_order_id(id);
  absl::StatusOr<v1::PurchaseOrder> sent = orders.Send(send);
  ASSERT_TRUE(sent.ok()) << sent.status();
  int64_t ordered = sent->lines(0).quantity_ordered();  // covers the 8 waiting and more
  v1::PromiseStockResponse fits = Promise("East", {{"CUP-1", ordered - 8}});
  EXPECT_EQ(fits.basis(), v1::INBOUND_PURCHASE_ORDER);
  EXPECT_EQ(fits.lines(0).purchase_order_id(), id);
  EXPECT_EQ(FromProtoTime(fits.lines(0).available_at()), clock_.Now() + 3 * kDay);
  // One more than the order brings after the queue: back to the lead time.
  EXPECT_EQ(Promise("East", {{"CUP-1", ordered - 7}}).basis(), v1::SUPPLIER_LEAD_TIME);
}

TEST_F(StockPromiseTest, UnknownSkusAndEmptyBasketsAreRefused) {
  v1::PromiseStockRequest request;
  EXPECT_EQ(promise_.Promise(request).status().code(), absl::StatusCode::kInvalidArgument);
  v1::AllocationLine* line = request.add_lines();
  line->set_sku("NOPE");
  line->set_quantity(1);
  EXPECT_EQ(promise_.Promise(request).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace oms::inventory
