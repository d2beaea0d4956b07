// InventoryService through a real in-process gRPC server and the generated stub.
#include "inventory_svc/inventory_service.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "inventory_svc/inventory_store.h"
#include "platform/testing/in_process_server.h"

namespace oms::inventory {
namespace {

class InventoryServiceTest : public oms::testing::ServiceTest<v1::InventoryService> {
 protected:
  void SetUp() override {
    UseHost("inventory_svc", {{"inventory", &store::Migrations()}});
    service_ = std::make_unique<InventoryService>(host_.get());
    Serve(service_.get());
  }

  void Product(const std::string& sku, int64_t safety_stock = 0,
               const std::string& category = "tea") {
    v1::CreateProductRequest request;
    v1::Product* p = request.mutable_product();
    p->set_sku(sku);
    p->set_name("Product " + sku);
    p->set_category(category);
    p->mutable_unit_price()->set_currency_code("CNY");
    p->mutable_unit_price()->set_minor_units(1000);
    p->set_weight_g(250);
    p->set_safety_stock(safety_stock);
    p->set_lead_time_days(7);
    grpc::ClientContext context;
    v1::Product created;
    grpc::Status status = stub_->CreateProduct(&context, request, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(created.active());
  }

  void Warehouse(const std::string& id, const std::string& region, int priority) {
    v1::CreateWarehouseRequest request;
    request.mutable_warehouse()->set_warehouse_id(id);
    request.mutable_warehouse()->set_name("Warehouse " + id);
    request.mutable_warehouse()->set_region(region);
    request.mutable_warehouse()->set_priority(priority);
    grpc::ClientContext context;
    v1::Warehouse created;
    ASSERT_TRUE(stub_->CreateWarehouse(&context, request, &created).ok());
  }

  grpc::Status Adjust(const std::string& sku, const std::string& warehouse, int64_t delta,
                      v1::AdjustmentReason reason, v1::AdjustStockResponse* response = nullptr) {
    v1::AdjustStockRequest request;
    request.set_sku(sku);
    request.set_warehouse_id(warehouse);
    request.set_delta(delta);
    request.set_reason(reason);
    request.set_actor("wms");
    grpc::ClientContext context;
    v1::AdjustStockResponse ignored;
    return stub_->AdjustStock(&context, request, response != nullptr ? response : &ignored);
  }

  v1::Allocation Allocate(const std::string& order_id,
                          std::vector<std::pair<std::string, int64_t>> lines,
                          v1::AllocationPolicy policy = v1::ALLOW_PARTIAL,
                          const std::string& region = "", grpc::Status* status_out = nullptr) {
    v1::AllocateRequest request;
    request.set_order_id(order_id);
    request.set_region(region);
    request.set_policy(policy);
    for (auto& [sku, quantity] : lines) {
      v1::AllocationLine* line = request.add_lines();
      line->set_sku(sku);
      line->set_quantity(quantity);
    }
    grpc::ClientContext context;
    v1::Allocation allocation;
    grpc::Status status = stub_->Allocate(&context, request, &allocation);
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return allocation;
  }

  v1::StockSummary Stock(const std::string& sku) {
    grpc::ClientContext context;
    v1::GetStockRequest request;
    request.set_sku(sku);
    v1::StockSummary summary;
    EXPECT_TRUE(stub_->GetStock(&context, request, &summary).ok());
    return summary;
  }

  v1::CheckInvariantsResponse Invariants() {
    grpc::ClientContext context;
    v1::CheckInvariantsResponse response;
    EXPECT_TRUE(stub_->CheckInvariants(&context, v1::CheckInvariantsRequest(), &response).ok());
    return response;
  }

  int CountEvents(const std::string& type) {
    absl::StatusOr<std::vector<events::v1::Event>> events = host_->outbox().List(0, 100000, {type});
    EXPECT_TRUE(events.ok());
    return static_cast<int>(events->size());
  }

  std::unique_ptr<InventoryService> service_;
};

TEST_F(InventoryServiceTest, ProductValidationNamesEveryBadField) {
  v1::CreateProductRequest request;
  request.mutable_product()->set_sku("bad sku!");
  request.mutable_product()->set_weight_g(-1);
  request.mutable_product()->set_safety_stock(-5);
  grpc::ClientContext context;
  v1::Product product;
  grpc::Status status = stub_->CreateProduct(&context, request, &product);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"product.sku", "product.name", "product.unit_price", "product.weight_g",
                            "product.safety_stock"}) {
    EXPECT_NE(status.error_message().find(field), std::string::npos) << field;
  }
}

TEST_F(InventoryServiceTest, CatalogueCreateUpdateGetList) {
  Product("TEA-1");
  Product("TEA-2");
  Product("CUP-1", 0, "cups");
  v1::CreateProductRequest again;
  again.mutable_product()->set_sku("TEA-1");
  again.mutable_product()->set_name("dup");
  again.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
  grpc::ClientContext dup_context;
  v1::Product product;
  EXPECT_EQ(stub_->CreateProduct(&dup_context, again, &product).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::UpdateProductRequest update;
  *update.mutable_product() = again.product();
  update.mutable_product()->set_name("Longjing");
  update.mutable_product()->set_category("tea");
  update.mutable_product()->set_active(false);
  grpc::ClientContext update_context;
  ASSERT_TRUE(stub_->UpdateProduct(&update_context, update, &product).ok());
  EXPECT_EQ(product.name(), "Longjing");
  EXPECT_FALSE(product.active());

  grpc::ClientContext missing_context;
  v1::GetProductRequest missing;
  missing.set_sku("NOPE");
  EXPECT_EQ(stub_->GetProduct(&missing_context, missing, &product).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListProductsRequest list;
  list.set_category("tea");
  list.set_page_size(1);
  std::vector<std::string> skus;
  do {
    grpc::ClientContext context;
    v1::ListProductsResponse page;
    ASSERT_TRUE(stub_->ListProducts(&context, list, &page).ok());
    for (const auto& p : page.products()) skus.push_back(p.sku());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(skus, (std::vector<std::string>{"TEA-1", "TEA-2"}));
}

TEST_F(InventoryServiceTest, LedgerExplainsOnHandAndRefusesGoingBelowReserved) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 10, v1::RECEIPT).ok());
  ASSERT_TRUE(Adjust("TEA-1", "SH", -2, v1::DAMAGE).ok());
  EXPECT_EQ(Adjust("TEA-1", "SH", 3, v1::LOSS).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Adjust("TEA-1", "SH", 3, v1::SHIPMENT).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Adjust("NOPE", "SH", 3, v1::RECEIPT).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Adjust("TEA-1", "NOWHERE", 3, v1::RECEIPT).error_code(), grpc::StatusCode::NOT_FOUND);
  Allocate("ord_1", {{"TEA-1", 6}});
  grpc::Status below = Adjust("TEA-1", "SH", -3, v1::CYCLE_COUNT);  // 8 - 3 = 5 < 6 reserved
  EXPECT_EQ(below.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(below.error_message().find("below the 6 reserved"), std::string::npos);
  ASSERT_TRUE(Adjust("TEA-1", "SH", -2, v1::CYCLE_COUNT).ok());

  grpc::ClientContext context;
  v1::ListAdjustmentsRequest request;
  request.set_sku("TEA-1");
  v1::ListAdjustmentsResponse ledger;
  ASSERT_TRUE(stub_->ListAdjustments(&context, request, &ledger).ok());
  int64_t sum = 0;
  for (const auto& a : ledger.adjustments()) sum += a.delta();
  EXPECT_EQ(ledger.adjustments_size(), 3);
  EXPECT_EQ(sum, Stock("TEA-1").on_hand());
  EXPECT_EQ(Stock("TEA-1").on_hand(), 6);
  EXPECT_EQ(Stock("TEA-1").available(), 0);
  EXPECT_TRUE(Invariants().clean());
}

TEST_F(InventoryServiceTest, OrderLargerThanAnyWarehouseIsSplitAndRepeatIsIdempotent) {
  Product("TEA-1");
  Warehouse("SH", "East", 2);
  Warehouse("BJ", "North", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 6, v1::RECEIPT).ok());
  ASSERT_TRUE(Adjust("TEA-1", "BJ", 5, v1::RECEIPT).ok());
  v1::Allocation first = Allocate("ord_split", {{"TEA-1", 9}}, v1::SHIP_COMPLETE, "East");
  ASSERT_EQ(first.reservations_size(), 2);
  EXPECT_EQ(first.reservations(0).warehouse_id(), "SH");  // ship-to region first
  EXPECT_EQ(first.reservations(0).quantity(), 6);
  EXPECT_EQ(first.reservations(1).warehouse_id(), "BJ");
  EXPECT_EQ(first.reservations(1).quantity(), 3);
  EXPECT_TRUE(first.fully_allocated());

  v1::Allocation again = Allocate("ord_split", {{"TEA-1", 9}}, v1::SHIP_COMPLETE, "East");
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(Stock("TEA-1").reserved(), 9);
  EXPECT_EQ(CountEvents("Allocated"), 1);
}

TEST_F(InventoryServiceTest, ShipCompleteBackordersEverythingAllowPartialOnlyTheShortfall) {
  Product("TEA-1");
  Product("CUP-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 5, v1::RECEIPT).ok());
  ASSERT_TRUE(Adjust("CUP-1", "SH", 1, v1::RECEIPT).ok());
  v1::Allocation complete = Allocate("ord_c", {{"TEA-1", 2}, {"CUP-1", 2}}, v1::SHIP_COMPLETE);
  EXPECT_EQ(complete.reservations_size(), 0);
  ASSERT_EQ(complete.backordered_size(), 2);
  EXPECT_FALSE(complete.fully_allocated());
  EXPECT_EQ(Stock("TEA-1").reserved(), 0);

  v1::Allocation partial = Allocate("ord_p", {{"TEA-1", 2}, {"CUP-1", 2}}, v1::ALLOW_PARTIAL);
  EXPECT_EQ(partial.reservations_size(), 2);
  ASSERT_EQ(partial.backordered_size(), 1);
  EXPECT_EQ(partial.backordered(0).sku(), "CUP-1");
  EXPECT_EQ(partial.backordered(0).quantity(), 1);
  EXPECT_EQ(CountEvents("Backordered"), 2);
}

TEST_F(InventoryServiceTest, UnknownSkusAreNamed) {
  Product("TEA-1");
  grpc::Status status;
  Allocate("ord_x", {{"TEA-1", 1}, {"GHOST-1", 1}, {"GHOST-2", 1}}, v1::ALLOW_PARTIAL, "", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("GHOST-1, GHOST-2"), std::string::npos);
  Allocate("ord_y", {{"TEA-1", 0}, {"TEA-1", 1}}, v1::ALLOW_PARTIAL, "", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("lines[0].quantity"), std::string::npos);
  EXPECT_NE(status.error_message().find("lines[1].sku: appears twice"), std::string::npos);
}

TEST_F(InventoryServiceTest, TwoHundredConcurrentAllocationsForTenUnitsNeverOversell) {
  Product("HOT-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("HOT-1", "SH", 10, v1::RECEIPT).ok());
  std::atomic<int> allocated{0}, backordered{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 20; ++t) {
    clients.emplace_back([&, t] {
      // Each client thread has its own channel, like separate callers.
      auto stub = v1::InventoryService::NewStub(server_->Channel());
      for (int i = 0; i < 10; ++i) {
        v1::AllocateRequest request;
        request.set_order_id("ord_" + std::to_string(t) + "_" + std::to_string(i));
        request.set_policy(v1::ALLOW_PARTIAL);
        v1::AllocationLine* line = request.add_lines();
        line->set_sku("HOT-1");
        line->set_quantity(1);
        grpc::ClientContext context;
        v1::Allocation allocation;
        if (!stub->Allocate(&context, request, &allocation).ok()) {
          ++failed;
        } else if (allocation.fully_allocated()) {
          ++allocated;
        } else {
          ++backordered;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(allocated.load(), 10);
  EXPECT_EQ(backordered.load(), 190);
  v1::StockSummary stock = Stock("HOT-1");
  EXPECT_EQ(stock.reserved(), 10);
  EXPECT_EQ(stock.available(), 0);
  EXPECT_EQ(stock.backordered(), 190);
  v1::CheckInvariantsResponse invariants = Invariants();
  EXPECT_TRUE(invariants.clean()) << invariants.DebugString();
}

TEST_F(InventoryServiceTest, BackordersAreServedFirstInFirstOut) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  for (const char* order : {"ord_a", "ord_b", "ord_c"}) {
    clock_.Advance(absl::Seconds(1));
    EXPECT_FALSE(Allocate(order, {{"TEA-1", 1}}).fully_allocated());
  }
  grpc::ClientContext list_context;
  v1::ListBackordersResponse queue;
  ASSERT_TRUE(stub_->ListBackorders(&list_context, v1::ListBackordersRequest(), &queue).ok());
  ASSERT_EQ(queue.backorders_size(), 3);
  EXPECT_EQ(queue.backorders(2).order_id(), "ord_c");
  EXPECT_EQ(queue.backorders(2).queue_position(), 3);

  v1::AdjustStockResponse receipt;
  ASSERT_TRUE(Adjust("TEA-1", "SH", 2, v1::RECEIPT, &receipt).ok());
  ASSERT_EQ(receipt.backorders_allocated_size(), 2);
  EXPECT_EQ(receipt.backorders_allocated(0).order_id(), "ord_a");
  EXPECT_EQ(receipt.backorders_allocated(1).order_id(), "ord_b");
  EXPECT_TRUE(receipt.backorders_allocated(0).fully_allocated());
  EXPECT_EQ(receipt.level().available(), 0);
  EXPECT_EQ(CountEvents("BackorderAllocated"), 2);

  grpc::ClientContext after_context;
  ASSERT_TRUE(stub_->ListBackorders(&after_context, v1::ListBackordersRequest(), &queue).ok());
  ASSERT_EQ(queue.backorders_size(), 1);
  EXPECT_EQ(queue.backorders(0).order_id(), "ord_c");
  EXPECT_EQ(queue.backorders(0).queue_position(), 1);
  EXPECT_TRUE(Invariants().clean());
}

TEST_F(InventoryServiceTest, PriorityOverridesArrivalOrder) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  Allocate("ord_early", {{"TEA-1", 1}});
  v1::AllocateRequest vip;
  vip.set_order_id("ord_vip");
  vip.set_policy(v1::ALLOW_PARTIAL);
  vip.set_backorder_priority(10);
  vip.add_lines()->set_sku("TEA-1");
  vip.mutable_lines(0)->set_quantity(1);
  grpc::ClientContext context;
  v1::Allocation allocation;
  ASSERT_TRUE(stub_->Allocate(&context, vip, &allocation).ok());
  v1::AdjustStockResponse receipt;
  ASSERT_TRUE(Adjust("TEA-1", "SH", 1, v1::RECEIPT, &receipt).ok());
  ASSERT_EQ(receipt.backorders_allocated_size(), 1);
  EXPECT_EQ(receipt.backorders_allocated(0).order_id(), "ord_vip");
}

TEST_F(InventoryServiceTest, ReleaseFreesStockForTheQueueAndTwiceIsHarmless) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 3, v1::RECEIPT).ok());
  Allocate("ord_1", {{"TEA-1", 3}});
  Allocate("ord_2", {{"TEA-1", 2}});  // waits
  v1::ReleaseRequest release;
  release.set_order_id("ord_1");
  release.set_reason("cancelled by customer");
  grpc::ClientContext context;
  v1::ReleaseResponse released;
  ASSERT_TRUE(stub_->Release(&context, release, &released).ok());
  ASSERT_EQ(released.released_size(), 1);
  EXPECT_EQ(released.released(0).status(), v1::Reservation::RELEASED);
  ASSERT_EQ(released.backorders_allocated_size(), 1);
  EXPECT_EQ(released.backorders_allocated(0).order_id(), "ord_2");
  EXPECT_EQ(Stock("TEA-1").reserved(), 2);

  grpc::ClientContext again_context;
  ASSERT_TRUE(stub_->Release(&again_context, release, &released).ok());
  EXPECT_EQ(released.released_size(), 0);
  EXPECT_EQ(Stock("TEA-1").reserved(), 2);
  EXPECT_EQ(CountEvents("Released"), 1);
  EXPECT_TRUE(Invariants().clean());
}

TEST_F(InventoryServiceTest, PartialReleaseDropsWaitingQuantityFirst) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 3, v1::RECEIPT).ok());
  Allocate("ord_1", {{"TEA-1", 5}});  // 3 reserved, 2 waiting
  v1::ReleaseRequest release;
  release.set_order_id("ord_1");
  release.add_lines()->set_sku("TEA-1");
  release.mutable_lines(0)->set_quantity(3);  // 2 waiting + 1 reserved
  grpc::ClientContext context;
  v1::ReleaseResponse released;
  ASSERT_TRUE(stub_->Release(&context, release, &released).ok());
  EXPECT_EQ(released.backorders_cancelled(), 2);
  ASSERT_EQ(released.released_size(), 1);
  EXPECT_EQ(released.released(0).quantity(), 1);
  EXPECT_EQ(Stock("TEA-1").reserved(), 2);
  EXPECT_EQ(Stock("TEA-1").backordered(), 0);
  EXPECT_TRUE(Invariants().clean());
}

TEST_F(InventoryServiceTest, CommitShipsStockThroughTheLedgerOnce) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  Warehouse("BJ", "North", 2);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 2, v1::RECEIPT).ok());
  ASSERT_TRUE(Adjust("TEA-1", "BJ", 2, v1::RECEIPT).ok());
  Allocate("ord_1", {{"TEA-1", 3}});
  v1::CommitRequest commit;
  commit.set_order_id("ord_1");
  commit.set_warehouse_id("SH");
  grpc::ClientContext context;
  v1::CommitResponse committed;
  ASSERT_TRUE(stub_->Commit(&context, commit, &committed).ok());
  ASSERT_EQ(committed.committed_size(), 1);
  EXPECT_EQ(committed.committed(0).status(), v1::Reservation::COMMITTED);
  grpc::ClientContext again_context;
  ASSERT_TRUE(stub_->Commit(&again_context, commit, &committed).ok());
  EXPECT_EQ(committed.committed_size(), 0);
  v1::StockSummary stock = Stock("TEA-1");
  EXPECT_EQ(stock.on_hand(), 2);   // 4 - 2 shipped from SH
  EXPECT_EQ(stock.reserved(), 1);  // BJ's part still reserved
  EXPECT_EQ(CountEvents("Committed"), 1);
  v1::CommitRequest unknown;
  unknown.set_order_id("ord_none");
  unknown.set_warehouse_id("SH");
  grpc::ClientContext unknown_context;
  EXPECT_EQ(stub_->Commit(&unknown_context, unknown, &committed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Invariants().clean());
}

TEST_F(InventoryServiceTest, ExpiredReservationsAreReleasedBySweep) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 2, v1::RECEIPT).ok());
  v1::AllocateRequest request;
  request.set_order_id("ord_hold");
  request.set_policy(v1::ALLOW_PARTIAL);
  request.mutable_reservation_ttl()->set_seconds(600);
  request.add_lines()->set_sku("TEA-1");
  request.mutable_lines(0)->set_quantity(2);
  grpc::ClientContext context;
  v1::Allocation allocation;
  ASSERT_TRUE(stub_->Allocate(&context, request, &allocation).ok());
  auto sweep = [&] {
    grpc::ClientContext c;
    v1::ExpireReservationsResponse r;
    EXPECT_TRUE(stub_->ExpireReservations(&c, v1::ExpireReservationsRequest(), &r).ok());
    return r;
  };
  EXPECT_EQ(sweep().expired_size(), 0);  // not yet
  clock_.Advance(absl::Minutes(11));
  v1::ExpireReservationsResponse expired = sweep();
  ASSERT_EQ(expired.expired_size(), 1);
  EXPECT_EQ(expired.expired(0).status(), v1::Reservation::EXPIRED);
  EXPECT_EQ(Stock("TEA-1").available(), 2);
  EXPECT_EQ(CountEvents("ReservationExpired"), 1);
  EXPECT_EQ(sweep().expired_size(), 0);
  EXPECT_TRUE(Invariants().clean());
}

TEST_F(InventoryServiceTest, LowStockIsRaisedOncePerCrossing) {
  Product("TEA-1", /*safety_stock=*/5);
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 10, v1::RECEIPT).ok());
  EXPECT_EQ(CountEvents("LowStock"), 0);
  Allocate("ord_1", {{"TEA-1", 6}});  // available 4 < 5: crossing
  Allocate("ord_2", {{"TEA-1", 1}});  // still below: no new alert
  EXPECT_EQ(CountEvents("LowStock"), 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 10, v1::RECEIPT).ok());  // recovers, re-arms
  Allocate("ord_3", {{"TEA-1", 10}});                        // below again
  EXPECT_EQ(CountEvents("LowStock"), 2);

  grpc::ClientContext context;
  v1::ListStockRequest request;
  request.set_below_safety_stock_only(true);
  v1::ListStockResponse below;
  ASSERT_TRUE(stub_->ListStock(&context, request, &below).ok());
  ASSERT_EQ(below.levels_size(), 1);
  EXPECT_EQ(below.levels(0).sku(), "TEA-1");
}

TEST_F(InventoryServiceTest, ReplenishmentFollowsDemandLeadTimeAndSafetyStock) {
  Product("TEA-1", /*safety_stock=*/10);  // lead time 7 days
  Product("IDLE-1");
  Warehouse("SH", "East", 1);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 20, v1::RECEIPT).ok());
  Allocate("ord_1", {{"TEA-1", 30}});  // 20 reserved, 10 waiting; demand 30 in the window
  grpc::ClientContext context;
  v1::GetReplenishmentSuggestionsRequest request;
  request.set_window_days(30);
  request.set_cover_days(14);
  v1::GetReplenishmentSuggestionsResponse response;
  ASSERT_TRUE(stub_->GetReplenishmentSuggestions(&context, request, &response).ok());
  ASSERT_EQ(response.suggestions_size(), 2);
  const v1::ReplenishmentSuggestion& tea = response.suggestions(0);
  EXPECT_EQ(tea.sku(), "TEA-1");
  EXPECT_EQ(tea.demand_in_window(), 30);
  EXPECT_DOUBLE_EQ(tea.average_daily_demand(), 1.0);
  EXPECT_EQ(tea.reorder_point(), 7 + 10);
  // position = 0 available - 10 waiting; target = 21 days of demand + 10 safety.
  EXPECT_EQ(tea.suggested_quantity(), 21 + 10 + 10);
  EXPECT_EQ(response.suggestions(1).suggested_quantity(), 0);
}

TEST_F(InventoryServiceTest, InactiveWarehousesAreNeverAllocatedFrom) {
  Product("TEA-1");
  Warehouse("SH", "East", 1);
  Warehouse("BJ", "North", 2);
  ASSERT_TRUE(Adjust("TEA-1", "SH", 5, v1::RECEIPT).ok());
  ASSERT_TRUE(Adjust("TEA-1", "BJ", 5, v1::RECEIPT).ok());
  v1::UpdateWarehouseRequest close;
  close.mutable_warehouse()->set_warehouse_id("SH");
  close.mutable_warehouse()->set_name("Shanghai");
  close.mutable_warehouse()->set_region("East");
  close.mutable_warehouse()->set_priority(1);
  close.mutable_warehouse()->set_active(false);
  grpc::ClientContext context;
  v1::Warehouse warehouse;
  ASSERT_TRUE(stub_->UpdateWarehouse(&context, close, &warehouse).ok());
  v1::Allocation allocation = Allocate("ord_1", {{"TEA-1", 3}}, v1::ALLOW_PARTIAL, "East");
  ASSERT_EQ(allocation.reservations_size(), 1);
  EXPECT_EQ(allocation.reservations(0).warehouse_id(), "BJ");
}

}  // namespace
}  // namespace oms::inventory
