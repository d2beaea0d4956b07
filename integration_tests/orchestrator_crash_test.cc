// 200 orders through the real orchestrator, order, inventory and logistics binaries while the
// orchestrator is SIGKILLed repeatedly and inventory_svc once: every order ends labelled, with
// exactly one reservation set and one shipment, and the stock invariants hold.
#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

constexpr int kOrders = 200;

class OrchestratorCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(order_.Start()));
    ASSERT_TRUE(Started(inventory_.Start()));
    logistics_ = LogisticsWithCarriers(dir_.path());
    ASSERT_TRUE(logistics_->Start().ok());
    orchestrator_ =
        OrchestratorFor(dir_.path(), order_, inventory_, *logistics_, {"--max_backoff=500ms"});
    ASSERT_TRUE(orchestrator_->Start().ok());
    auto inventory = inventory::v1::InventoryService::NewStub(inventory_.NewChannel());
    ASSERT_TRUE(
        SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 1000}, {"CUP-CELADON", 1000}}).ok());
  }

  testing::TempDir dir_;
  ServiceProcess order_{"order_svc", dir_.path()};
  ServiceProcess inventory_{"inventory_svc", dir_.path()};
  std::unique_ptr<ServiceProcess> logistics_;
  std::unique_ptr<ServiceProcess> orchestrator_;
};

TEST_F(OrchestratorCrashTest, EveryOrderShipsOnceAcrossRepeatedKills) {
  std::atomic<int> placed{0};
  std::vector<std::string> order_ids(kOrders);
  std::thread client([&] {
    for (int i = 0; i < kOrders; ++i) {
      orchestrator::v1::PlaceOrderRequest request;
      request.set_idempotency_key("crash-" + std::to_string(i));
      *request.mutable_order() = order::SampleCreateOrder("CRASH-" + std::to_string(i));
      for (int attempt = 0; attempt < 400; ++attempt) {
        auto stub = orchestrator::v1::OrchestratorService::NewStub(orchestrator_->NewChannel());
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
        context.set_wait_for_ready(true);
        orchestrator::v1::PlaceOrderResponse response;
        if (stub->PlaceOrder(&context, request, &response).ok()) {
          order_ids[i] = response.order_id();
          ++placed;
          break;
        }
      }
    }
  });
  auto wait_placed = [&](int n) {
    absl::Time give_up = absl::Now() + absl::Seconds(120);
    while (placed.load() < n && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  };
  for (int kill_at : {30, 80, 130}) {
    wait_placed(kill_at);
    orchestrator_->Kill();
    ASSERT_TRUE(orchestrator_->Start().ok());
  }
  wait_placed(160);
  inventory_.Kill();
  ASSERT_TRUE(Started(inventory_.Start()));
  client.join();
  ASSERT_EQ(placed.load(), kOrders);

  // Every order is allocated with its label made, waiting for the carrier (no tracking
  // events follow here): bounded wait on progress.
  auto orders = order::v1::OrderService::NewStub(order_.NewChannel());
  auto workflows = orchestrator::v1::OrchestratorService::NewStub(orchestrator_->NewChannel());
  absl::Time give_up = absl::Now() + absl::Seconds(120);
  int labelled = 0;
  while (absl::Now() < give_up) {
    labelled = 0;
    for (const std::string& id : order_ids) {
      grpc::ClientContext context, workflow_context;
      order::v1::GetOrderRequest get;
      get.set_order_id(id);
      order::v1::Order order;
      orchestrator::v1::GetWorkflowRequest get_workflow;
      get_workflow.set_order_id(id);
      orchestrator::v1::Workflow wf;
      if (orders->GetOrder(&context, get, &order).ok() && order.status() == order::v1::ALLOCATED &&
          workflows->GetWorkflow(&workflow_context, get_workflow, &wf).ok() &&
          wf.stage() == orchestrator::v1::AWAITING_PICKUP) {
        ++labelled;
      }
    }
    if (labelled == kOrders) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(labelled, kOrders);

  auto inventory = inventory::v1::InventoryService::NewStub(inventory_.NewChannel());
  auto logistics = logistics::v1::LogisticsService::NewStub(logistics_->NewChannel());
  for (const std::string& id : order_ids) {
    grpc::ClientContext a;
    inventory::v1::GetAllocationRequest get;
    get.set_order_id(id);
    inventory::v1::Allocation allocation;
    ASSERT_TRUE(inventory->GetAllocation(&a, get, &allocation).ok()) << id;
    int64_t reserved = 0;
    for (const auto& r : allocation.reservations()) reserved += r.quantity();
    EXPECT_EQ(reserved, 3) << id;  // 2 tea + 1 cup, reserved exactly once
    grpc::ClientContext s;
    logistics::v1::ListShipmentsRequest list;
    list.set_order_id(id);
    logistics::v1::ListShipmentsResponse shipments;
    ASSERT_TRUE(logistics->ListShipments(&s, list, &shipments).ok());
    EXPECT_EQ(shipments.shipments_size(), 1) << id;  // one warehouse, one shipment
  }
  grpc::ClientContext stock_context;
  inventory::v1::GetStockRequest stock_request;
  stock_request.set_sku("TEA-LONGJING-250G");
  inventory::v1::StockSummary stock;
  ASSERT_TRUE(inventory->GetStock(&stock_context, stock_request, &stock).ok());
  EXPECT_EQ(stock.reserved(), 2 * kOrders);
  grpc::ClientContext check_context;
  inventory::v1::CheckInvariantsResponse invariants;
  ASSERT_TRUE(
      inventory
          ->CheckInvariants(&check_context, inventory::v1::CheckInvariantsRequest(), &invariants)
          .ok());
  EXPECT_TRUE(invariants.clean()) << invariants.DebugString();
  grpc::ClientContext list_context;
  order::v1::ListOrdersRequest all;
  all.set_page_size(500);
  order::v1::ListOrdersResponse listed;
  ASSERT_TRUE(orders->ListOrders(&list_context, all, &listed).ok());
  EXPECT_EQ(listed.orders_size(), kOrders);  // no order was created twice
}

}  // namespace
}  // namespace oms::integration
