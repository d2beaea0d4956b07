// inventory_svc killed with SIGKILL in the middle of a stream of allocations: after the
// restart every acknowledged allocation is there unchanged, retries of the unacknowledged
// ones have no second effect, and the stock invariants hold.
#include <atomic>
#include <map>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using inventory::v1::InventoryService;

constexpr int kOrders = 300;

class InventoryCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(inventory_.Start()));
    auto stub = InventoryService::NewStub(inventory_.NewChannel());
    grpc::ClientContext product_context;
    inventory::v1::CreateProductRequest product;
    product.mutable_product()->set_sku("TEA-1");
    product.mutable_product()->set_name("Longjing 250g");
    product.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
    inventory::v1::Product created;
    ASSERT_TRUE(stub->CreateProduct(&product_context, product, &created).ok());
    for (auto [id, units] : {std::make_pair("SH", 100), std::make_pair("BJ", 50)}) {
      grpc::ClientContext warehouse_context;
      inventory::v1::CreateWarehouseRequest warehouse;
      warehouse.mutable_warehouse()->set_warehouse_id(id);
      warehouse.mutable_warehouse()->set_name(id);
      warehouse.mutable_warehouse()->set_region(id);
      inventory::v1::Warehouse w;
      ASSERT_TRUE(stub->CreateWarehouse(&warehouse_context, warehouse, &w).ok());
      grpc::ClientContext receipt_context;
      inventory::v1::AdjustStockRequest receipt;
      receipt.set_sku("TEA-1");
      receipt.set_warehouse_id(id);
      receipt.set_delta(units);
      receipt.set_reason(inventory::v1::RECEIPT);
      inventory::v1::AdjustStockResponse response;
      ASSERT_TRUE(stub->AdjustStock(&receipt_context, receipt, &response).ok());
    }
  }

  testing::TempDir dir_;
  ServiceProcess inventory_{"inventory_svc", dir_.path()};
};

TEST_F(InventoryCrashTest, AcknowledgedAllocationsSurviveSigkillWithoutDuplicates) {
  absl::Mutex mu;
  std::map<std::string, inventory::v1::Allocation> acknowledged;  // before the kill
  std::atomic<bool> killed{false};
  std::atomic<int> retries{0};

  std::thread writer([&] {
    for (int i = 0; i < kOrders; ++i) {
      inventory::v1::AllocateRequest request;
      request.set_idempotency_key("alloc-" + std::to_string(i));
      request.set_order_id("ord_" + std::to_string(i));
      request.set_policy(inventory::v1::ALLOW_PARTIAL);
      request.add_lines()->set_sku("TEA-1");
      request.mutable_lines(0)->set_quantity(1);
      // Retry until acknowledged: across the kill the server is briefly gone.
      for (int attempt = 0; attempt < 200; ++attempt) {
        auto stub = InventoryService::NewStub(inventory_.NewChannel());
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
        context.set_wait_for_ready(true);
        inventory::v1::Allocation allocation;
        if (stub->Allocate(&context, request, &allocation).ok()) {
          if (!killed.load()) {
            absl::MutexLock lock(&mu);
            acknowledged[request.order_id()] = allocation;
          }
          break;
        }
        ++retries;
      }
    }
  });

  {  // Kill once a good number of allocations have been acknowledged.
    absl::MutexLock lock(&mu);
    auto enough = [&acknowledged]() { return acknowledged.size() >= 60; };
    ASSERT_TRUE(mu.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(60)));
  }
  killed = true;
  inventory_.Kill();
  ASSERT_TRUE(Started(inventory_.Start()));
  writer.join();

  auto stub = InventoryService::NewStub(inventory_.NewChannel());
  int64_t reserved_total = 0, waiting_total = 0;
  for (int i = 0; i < kOrders; ++i) {
    std::string order_id = "ord_" + std::to_string(i);
    grpc::ClientContext context;
    inventory::v1::GetAllocationRequest request;
    request.set_order_id(order_id);
    inventory::v1::Allocation allocation;
    ASSERT_TRUE(stub->GetAllocation(&context, request, &allocation).ok()) << order_id;
    const auto [reserved, waiting] = UnitsOf(allocation);
    EXPECT_EQ(reserved + waiting, 1) << order_id;  // exactly once, never twice
    reserved_total += reserved;
    waiting_total += waiting;
    auto acked = acknowledged.find(order_id);
    if (acked != acknowledged.end()) {
      EXPECT_EQ(allocation.SerializeAsString(), acked->second.SerializeAsString()) << order_id;
    }
  }
  EXPECT_EQ(reserved_total, 150);
  EXPECT_EQ(waiting_total, kOrders - 150);

  grpc::ClientContext stock_context;
  inventory::v1::GetStockRequest stock_request;
  stock_request.set_sku("TEA-1");
  inventory::v1::StockSummary stock;
  ASSERT_TRUE(stub->GetStock(&stock_context, stock_request, &stock).ok());
  EXPECT_EQ(stock.on_hand(), 150);
  EXPECT_EQ(stock.reserved(), 150);
  EXPECT_EQ(stock.available(), 0);
  EXPECT_EQ(stock.backordered(), kOrders - 150);

  grpc::ClientContext check_context;
  inventory::v1::CheckInvariantsResponse invariants;
  ASSERT_TRUE(
      stub->CheckInvariants(&check_context, inventory::v1::CheckInvariantsRequest(), &invariants)
          .ok());
  EXPECT_TRUE(invariants.clean()) << invariants.DebugString();
  // The kill really landed mid-stream.
  EXPECT_GE(acknowledged.size(), 60u);
  EXPECT_LT(acknowledged.size(), static_cast<size_t>(kOrders));
}

}  // namespace
}  // namespace oms::integration
