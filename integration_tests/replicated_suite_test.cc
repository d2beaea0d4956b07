// The whole suite as `./oms up --postgres --replicas 2` runs it: two replicas of every service
// on one PostgreSQL database per service. 200 PlaceOrders spread over both orchestrator
// replicas while one replica of every service is SIGKILLed and later restarted, and then the
// other orchestrator replica too: every order ends labelled, with one reservation set, one
// shipment (one warehouse) and one customer message per channel per event, never two.
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "integration_tests/customer_messages.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/suite.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

constexpr int kOrders = 200;
constexpr int kClients = 4;
constexpr char kTea[] = "TEA-LONGJING-250G";  // SampleCreateOrder: 2 tea + 1 cup
constexpr char kCup[] = "CUP-CELADON";

class ReplicatedSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{kTea, 1000}, {kCup, 1000}}).ok());
  }

  static SuiteFlags Flags() {
    SuiteFlags flags;
    flags.replicas = 2;
    flags.orchestrator = {"--max_backoff=500ms"};
    flags.notify = {"--max_attempts=1"};  // the test's SMTP address refuses: no retries
    return flags;
  }

  // Places order `i` until it is acknowledged, through the round-robin channel of both
  // orchestrator replicas; a retry carries the same idempotency key.
  std::string Place(int i) {
    orchestrator::v1::PlaceOrderRequest request;
    request.set_idempotency_key("replicated-" + std::to_string(i));
    *request.mutable_order() = order::SampleCreateOrder("REPL-" + std::to_string(i));
    for (int attempt = 0; attempt < 400; ++attempt) {
      auto stub =
          orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      orchestrator::v1::PlaceOrderResponse response;
      if (stub->PlaceOrder(&context, request, &response).ok()) return response.order_id();
      absl::SleepFor(absl::Milliseconds(20));  // a replica is down: give the balancer a moment
    }
    return "";
  }

  // The ids of every event of `types` in a service's feed.
  std::vector<std::string> EventIds(const Endpoint& source, const std::vector<std::string>& types) {
    auto feed = events::v1::EventFeed::NewStub(source.NewChannel());
    events::v1::ListEventsRequest list;
    list.set_limit(1000);
    for (const std::string& t : types) list.add_types(t);
    std::vector<std::string> ids;
    while (true) {
      auto page = Call(feed.get(), &events::v1::EventFeed::Stub::ListEvents, list);
      for (const auto& e : page.events()) ids.push_back(e.event_id());
      if (page.events_size() < list.limit()) return ids;
      list.set_after_seq(page.events(page.events_size() - 1).seq());
    }
  }

  testing::TempDir dir_;
  Suite suite_{dir_.path(), Flags()};
};

TEST_F(ReplicatedSuiteTest, EveryOrderOnceWhileReplicasOfEveryServiceDie) {
  // Clients take the next order while its number is below `allowed`: the kills land while
  // calls are in flight, and always before the last order.
  std::atomic<int> next{0}, placed{0}, allowed{80};
  std::vector<std::string> order_ids(kOrders);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      for (int i = next++; i < kOrders; i = next++) {
        while (i >= allowed.load()) absl::SleepFor(absl::Milliseconds(5));
        order_ids[i] = Place(i);
        ++placed;
      }
    });
  }
  auto wait_placed = [&](int n) {
    absl::Time give_up = absl::Now() + absl::Seconds(180);
    while (placed.load() < n && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(5));
  };
  wait_placed(40);
  for (ReplicaSet* service : suite_.All()) service->replica(1).Kill();
  wait_placed(70);
  for (ReplicaSet* service : suite_.All()) ASSERT_TRUE(Started(service->Start()));
  allowed = 160;
  wait_placed(120);
  suite_.orchestrator().replica(0).Kill();  // now the other orchestrator too, mid-workflow
  allowed = kOrders;
  ASSERT_TRUE(Started(suite_.orchestrator().Start()));
  for (std::thread& t : clients) t.join();
  for (int i = 0; i < kOrders; ++i) ASSERT_FALSE(order_ids[i].empty()) << "order " << i;

  // Every order is allocated with its label made, waiting for the carrier.
  auto orders = order::v1::OrderService::NewStub(suite_.order().NewChannel());
  auto workflows =
      orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
  int labelled = 0;
  EXPECT_TRUE(WaitFor(
      [&] {
        labelled = 0;
        for (const std::string& id : order_ids) {
          order::v1::GetOrderRequest get;
          get.set_order_id(id);
          order::v1::Order order;
          orchestrator::v1::GetWorkflowRequest get_workflow;
          get_workflow.set_order_id(id);
          orchestrator::v1::Workflow workflow;
          if (Try(orders.get(), &order::v1::OrderService::Stub::GetOrder, get, &order).ok() &&
              order.status() == order::v1::ALLOCATED &&
              Try(workflows.get(), &orchestrator::v1::OrchestratorService::Stub::GetWorkflow,
                  get_workflow, &workflow)
                  .ok() &&
              workflow.stage() == orchestrator::v1::AWAITING_PICKUP) {
            ++labelled;
          }
        }
        return labelled == kOrders;
      },
      absl::Seconds(180)))
      << labelled << " of " << kOrders;

  // One reservation set and one shipment per order; no order twice; stock adds up.
  auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
  auto logistics = logistics::v1::LogisticsService::NewStub(suite_.logistics().NewChannel());
  for (const std::string& id : order_ids) {
    inventory::v1::GetAllocationRequest get;
    get.set_order_id(id);
    auto allocation =
        Call(inventory.get(), &inventory::v1::InventoryService::Stub::GetAllocation, get);
    EXPECT_EQ(UnitsOf(allocation).reserved, 3) << id;
    EXPECT_EQ(UnitsOf(allocation).waiting, 0) << id;
    logistics::v1::ListShipmentsRequest list;
    list.set_order_id(id);
    auto shipments =
        Call(logistics.get(), &logistics::v1::LogisticsService::Stub::ListShipments, list);
    EXPECT_EQ(shipments.shipments_size(), 1) << id;
  }
  order::v1::ListOrdersRequest all;
  all.set_page_size(500);
  EXPECT_EQ(Call(orders.get(), &order::v1::OrderService::Stub::ListOrders, all).orders_size(),
            kOrders);
  inventory::v1::GetStockRequest tea;
  tea.set_sku(kTea);
  EXPECT_EQ(Call(inventory.get(), &inventory::v1::InventoryService::Stub::GetStock, tea).reserved(),
            2 * kOrders);
  auto invariants = Call(inventory.get(), &inventory::v1::InventoryService::Stub::CheckInvariants,
                         inventory::v1::CheckInvariantsRequest());
  EXPECT_TRUE(invariants.clean()) << invariants.ShortDebugString();

  // One EMAIL and one SMS to the customer per customer-facing event, none twice.
  std::vector<std::string> customer_events = EventIds(suite_.order(), {"OrderCreated"});
  EXPECT_EQ(customer_events.size(), static_cast<size_t>(kOrders));
  std::vector<std::string> labels = EventIds(suite_.logistics(), {"ShipmentCreated"});
  EXPECT_EQ(labels.size(), static_cast<size_t>(kOrders));
  customer_events.insert(customer_events.end(), labels.begin(), labels.end());
  auto notify = notify::v1::NotifyService::NewStub(suite_.notify().NewChannel());
  MessageCounts sent;
  EXPECT_TRUE(WaitFor([&] {
    sent = CustomerMessages(notify.get());
    return sent.size() == 2 * customer_events.size();
  })) << sent.size()
      << " of " << 2 * customer_events.size();
  for (const std::string& id : customer_events) {
    for (notify::v1::Channel channel : {notify::v1::EMAIL, notify::v1::SMS}) {
      EXPECT_EQ((sent[{id, channel}]), 1) << id << " " << channel;
    }
  }
}

}  // namespace
}  // namespace oms::integration
