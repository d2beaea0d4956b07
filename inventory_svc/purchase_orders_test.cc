// Purchase orders on an in-memory store: drafts from suggestions and supplier terms, the
// approval limit, sending, receipts that fill backorders in queue order, the states each
// command is refused in, and the overdue alert.
#include "inventory_svc/purchase_orders.h"

#include <algorithm>

#include "inventory_svc/suppliers.h"
#include "inventory_svc/testing/stock_fixture.h"
#include "platform/security/call_info.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

class PurchaseOrdersTest : public testing::StockFixture {
 protected:
  PurchaseOrdersTest()
      : suppliers_(host_.get()),
        orders_(host_.get(), &ledger_, &replenishment_, *auth::ApprovalLimits::Parse("OPS=40000")) {
  }

  void SetUp() override {
    Product("TEA-1", /*safety_stock=*/5);
    Product("CUP-1");
    Product("POT-1", /*safety_stock=*/3);
    Warehouse("SH-01", "East", 1);
    Warehouse("BJ-01", "North", 2);
    // TEA-1 from two suppliers (the cheaper one wins); POT-1 from nobody.
    SaveSupplier("LEAF", 500, /*moq=*/60, /*pack=*/25, /*lead=*/10);
    SaveSupplier("DEAR", 600, 1, 1, 2);
  }

  void SaveSupplier(const std::string& id, int64_t cost, int64_t moq, int64_t pack, int lead) {
    v1::SaveSupplierRequest request;
    v1::Supplier* s = request.mutable_supplier();
    s->set_supplier_id(id);
    s->set_name("Supplier " + id);
    s->set_email(id + "@suppliers.example");
    s->set_currency("CNY");
    v1::SupplyTerm* term = s->add_terms();
    term->set_sku("TEA-1");
    term->set_unit_cost_minor(cost);
    term->set_minimum_order_quantity(moq);
    term->set_pack_size(pack);
    term->set_lead_time_days(lead);
    absl::StatusOr<v1::Supplier> saved = suppliers_.Save(request);
    ASSERT_TRUE(saved.ok()) << saved.status();
  }

  v1::DraftPurchaseOrdersResponse Draft() {
    absl::StatusOr<v1::DraftPurchaseOrdersResponse> drafts =
        orders_.Draft(v1::DraftPurchaseOrdersRequest());
    EXPECT_TRUE(drafts.ok()) << drafts.status();
    return drafts.ok() ? *drafts : v1::DraftPurchaseOrdersResponse();
  }

  // TEA-1 short by 26 (30 ordered, 4 in stock): one draft, approved and sent.
  v1::PurchaseOrder SentOrder() {
    Receive("TEA-1", "SH-01", 4);
    Allocate("ord_1", {{"TEA-1", 30}});
    v1::DraftPurchaseOrdersResponse drafts = Draft();
    EXPECT_EQ(drafts.drafts_size(), 1);
    std::string id = drafts.drafts(0).purchase_order_id();
    v1::ApprovePurchaseOrderRequest approve;
    approve.set_purchase_order_id(id);
    EXPECT_TRUE(orders_.Approve(approve).ok());
    v1::SendPurchaseOrderRequest send;
    send.set_purchase_order_id(id);
    absl::StatusOr<v1::PurchaseOrder> sent = orders_.Send(send);
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.ok() ? *sent : v1::PurchaseOrder();
  }

  absl::StatusOr<v1::ReceivePurchaseOrderResponse> ReceiveOn(const std::string& id,
                                                             const std::string& sku,
                                                             int64_t quantity,
                                                             const std::string& key = "") {
    v1::ReceivePurchaseOrderRequest request;
    request.set_idempotency_key(key);
    request.set_purchase_order_id(id);
    if (!sku.empty()) {
      request.add_lines()->set_sku(sku);
      request.mutable_lines(0)->set_quantity(quantity);
    }
    return orders_.Receive(request);
  }

  Suppliers suppliers_;
  PurchaseOrders orders_;
};

TEST_F(PurchaseOrdersTest, DraftsGoToTheCheapestSupplierRoundedToMinimumAndPacks) {
  Receive("TEA-1", "SH-01", 4);
  Allocate("ord_1", {{"TEA-1", 30}});  // suggestion: 21 + 5 + 26 = 52
  Allocate("ord_2", {{"POT-1", 1}});   // below its safety stock, but no supplier
  v1::DraftPurchaseOrdersResponse drafts = Draft();
  ASSERT_EQ(drafts.drafts_size(), 1);
  const v1::PurchaseOrder& po = drafts.drafts(0);
  EXPECT_EQ(po.supplier_id(), "LEAF");
  EXPECT_EQ(po.warehouse_id(), "SH-01");  // the preferred active warehouse
  EXPECT_EQ(po.status(), v1::PO_DRAFT);
  ASSERT_EQ(po.lines_size(), 1);
  EXPECT_EQ(po.lines(0).suggested_quantity(), 52);
  EXPECT_EQ(po.lines(0).quantity_ordered(), 75);  // minimum 60, then three packs of 25
  EXPECT_EQ(po.total().minor_units(), 75 * 500);
  EXPECT_EQ(po.total().currency_code(), "CNY");
  EXPECT_EQ(std::vector<std::string>(drafts.skus_without_supplier().begin(),
                                     drafts.skus_without_supplier().end()),
            std::vector<std::string>{"POT-1"});
  // What the draft brings counts as on order: a second run orders nothing more of TEA-1.
  v1::DraftPurchaseOrdersResponse again = Draft();
  EXPECT_EQ(again.drafts_size(), 0);
  v1::GetReplenishmentSuggestionsRequest ask;
  ask.set_sku("TEA-1");
  EXPECT_EQ(replenishment_.Suggest(ask)->suggestions(0).on_order(), 75);
}

TEST_F(PurchaseOrdersTest, ApprovalAboveTheApproversLimitIsRefused) {
  Receive("TEA-1", "SH-01", 4);
  Allocate("ord_1", {{"TEA-1", 30}});
  std::string id = Draft().drafts(0).purchase_order_id();  // 37,500
  v1::ApprovePurchaseOrderRequest approve;
  approve.set_purchase_order_id(id);
  {
    auth::CallInfo call;
    call.principal = {"olga", {security::v1::OPS}, ""};
    auth::CallScope scope(&call);
    EXPECT_TRUE(orders_.Approve(approve).ok());  // 37,500 is within 40,000
  }
  // A second order of 60,000 is above it.
  Allocate("ord_2", {{"TEA-1", 100}});
  v1::DraftPurchaseOrdersResponse more = Draft();
  ASSERT_EQ(more.drafts_size(), 1);
  ASSERT_GT(more.drafts(0).total().minor_units(), 40000);
  approve.set_purchase_order_id(more.drafts(0).purchase_order_id());
  {
    auth::CallInfo call;
    call.principal = {"olga", {security::v1::OPS}, ""};
    auth::CallScope scope(&call);
    absl::StatusOr<v1::PurchaseOrder> refused = orders_.Approve(approve);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_NE(refused.status().message().find("up to 40000"), std::string::npos);
  }
  {
    auth::CallInfo call;
    call.principal = {"root", {security::v1::ADMIN}, ""};
    auth::CallScope scope(&call);
    absl::StatusOr<v1::PurchaseOrder> approved = orders_.Approve(approve);
    ASSERT_TRUE(approved.ok()) << approved.status();
    EXPECT_EQ(approved->approved_by(), "root");
  }
}

TEST_F(PurchaseOrdersTest, SendingSetsTheExpectedDateAndEmitsTheDocument) {
  v1::PurchaseOrder sent = SentOrder();
  EXPECT_EQ(sent.status(), v1::PO_SENT);
  EXPECT_EQ(FromProtoTime(sent.expected_at()), clock_.Now() + absl::Hours(24 * 10));
  std::vector<std::string> events = Events();
  EXPECT_NE(std::find(events.begin(), events.end(), "PurchaseOrderSent"), events.end());
  EXPECT_EQ(PurchaseOrderCsv(sent),
            "sku,quantity,unit_cost_minor,currency,line_total_minor\r\n"
            "TEA-1,75,500,CNY,37500\r\n");
}

TEST_F(PurchaseOrdersTest, ReceiptsFillBackordersInQueueOrderAndCompleteTheOrder) {
  v1::PurchaseOrder sent = SentOrder();  // ord_1 waits for 26
  Allocate("ord_2", {{"TEA-1", 10}});    // waits for 10 behind ord_1
  absl::StatusOr<v1::ReceivePurchaseOrderResponse> first =
      ReceiveOn(sent.purchase_order_id(), "TEA-1", 30, "r1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->purchase_order().status(), v1::PO_PARTIALLY_RECEIVED);
  ASSERT_EQ(first->adjustments_size(), 1);
  EXPECT_EQ(first->adjustments(0).reason(), v1::RECEIPT);
  EXPECT_NE(first->adjustments(0).note().find(sent.purchase_order_id()), std::string::npos);
  ASSERT_EQ(first->backorders_allocated_size(), 2);
  EXPECT_EQ(first->backorders_allocated(0).order_id(), "ord_1");
  EXPECT_TRUE(first->backorders_allocated(0).fully_allocated());
  EXPECT_EQ(first->backorders_allocated(1).order_id(), "ord_2");
  EXPECT_FALSE(first->backorders_allocated(1).fully_allocated());  // 4 of 10
  // The same receipt retried has no second effect.
  ASSERT_TRUE(ReceiveOn(sent.purchase_order_id(), "TEA-1", 30, "r1").ok());
  EXPECT_EQ(Level("TEA-1", "SH-01").on_hand(), 4 + 30);
  // More than is outstanding (45) is refused; the rest completes the order.
  EXPECT_EQ(ReceiveOn(sent.purchase_order_id(), "TEA-1", 46).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReceiveOn(sent.purchase_order_id(), "CUP-1", 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::ReceivePurchaseOrderResponse> rest =
      ReceiveOn(sent.purchase_order_id(), "", 0);
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->purchase_order().status(), v1::PO_RECEIVED);
  EXPECT_EQ(rest->purchase_order().lines(0).quantity_received(), 75);
  EXPECT_EQ(rest->backorders_allocated(0).order_id(), "ord_2");
  EXPECT_TRUE(rest->backorders_allocated(0).fully_allocated());
  EXPECT_EQ(ReceiveOn(sent.purchase_order_id(), "", 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PurchaseOrdersTest, EachCommandIsRefusedInTheStatesWhereItMakesNoSense) {
  Receive("TEA-1", "SH-01", 4);
  Allocate("ord_1", {{"TEA-1", 30}});
  std::string id = Draft().drafts(0).purchase_order_id();
  v1::SendPurchaseOrderRequest send;
  send.set_purchase_order_id(id);
  EXPECT_EQ(orders_.Send(send).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReceiveOn(id, "", 0).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::ClosePurchaseOrderRequest close;
  close.set_purchase_order_id(id);
  EXPECT_EQ(orders_.Close(close).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::ApprovePurchaseOrderRequest approve;
  approve.set_purchase_order_id(id);
  ASSERT_TRUE(orders_.Approve(approve).ok());
  EXPECT_EQ(orders_.Approve(approve).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(orders_.Send(send).ok());
  ASSERT_TRUE(ReceiveOn(id, "TEA-1", 5).ok());
  v1::CancelPurchaseOrderRequest cancel;
  cancel.set_purchase_order_id(id);
  EXPECT_EQ(orders_.Cancel(cancel).status().code(), absl::StatusCode::kFailedPrecondition);
  close.set_reason("supplier discontinued the rest");
  absl::StatusOr<v1::PurchaseOrder> closed = orders_.Close(close);
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->status(), v1::PO_CLOSED);
  EXPECT_EQ(ReceiveOn(id, "TEA-1", 1).status().code(), absl::StatusCode::kFailedPrecondition);
  v1::GetPurchaseOrderRequest missing;
  missing.set_purchase_order_id("po_nope");
  EXPECT_EQ(orders_.Get(missing).status().code(), absl::StatusCode::kNotFound);
  // Closed short, nothing is on order any more.
  v1::GetReplenishmentSuggestionsRequest ask;
  ask.set_sku("TEA-1");
  EXPECT_EQ(replenishment_.Suggest(ask)->suggestions(0).on_order(), 0);
}

TEST_F(PurchaseOrdersTest, ASentOrderPastItsDateIsFlaggedOverdueOnce) {
  v1::PurchaseOrder sent = SentOrder();
  EXPECT_EQ(orders_.FlagOverdue()->flagged_size(), 0);
  clock_.Advance(absl::Hours(24 * 10) + absl::Minutes(1));
  absl::StatusOr<v1::FlagOverduePurchaseOrdersResponse> flagged = orders_.FlagOverdue();
  ASSERT_TRUE(flagged.ok()) << flagged.status();
  ASSERT_EQ(flagged->flagged_size(), 1);
  EXPECT_TRUE(flagged->flagged(0).overdue());
  EXPECT_EQ(orders_.FlagOverdue()->flagged_size(), 0);
  std::vector<std::string> events = Events();
  EXPECT_EQ(std::count(events.begin(), events.end(), "PurchaseOrderOverdue"), 1);
  v1::ListPurchaseOrdersRequest list;
  list.set_overdue_only(true);
  EXPECT_EQ(orders_.List(list)->purchase_orders_size(), 1);
  // Received in full, it is no longer overdue.
  ASSERT_TRUE(ReceiveOn(sent.purchase_order_id(), "", 0).ok());
  EXPECT_EQ(orders_.List(list)->purchase_orders_size(), 0);
}

TEST_F(PurchaseOrdersTest, SuppliersAreCheckedFieldByField) {
  v1::SaveSupplierRequest request;
  v1::Supplier* s = request.mutable_supplier();
  s->set_supplier_id("bad id");
  s->set_currency("XXQ");
  s->add_terms()->set_sku("NOPE");
  s->mutable_terms(0)->set_pack_size(-1);
  absl::Status refused = suppliers_.Save(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"supplier.supplier_id", "supplier.name", "supplier.email",
                            "supplier.currency", "supplier.terms[0].pack_size"}) {
    EXPECT_NE(refused.message().find(field), std::string::npos) << field << ": " << refused;
  }
  s->set_supplier_id("OK");
  s->set_name("Ok");
  s->set_currency("CNY");
  s->set_webhook_url("https://ok.example/po");
  s->mutable_terms(0)->set_pack_size(1);
  refused = suppliers_.Save(request).status();
  EXPECT_NE(refused.message().find("supplier.terms[0].sku: is not a product"), std::string::npos)
      << refused;
  EXPECT_EQ(RoundToTerms(1, v1::SupplyTerm()), 1);
}

}  // namespace
}  // namespace oms::inventory
