// `./oms down` under load, ten times over: clients keep placing orders while all six real
// binaries get SIGTERM at once (peers stop under each other's calls: CANCELLED and
// UNAVAILABLE answers everywhere), then the suite starts again on its stores. Afterwards
// every order is where it should be and consistent across the services: every
// acknowledged order exists and was not cancelled; every order the orchestrator placed
// (acknowledged or cut off mid-call) has a workflow that came to rest, with order_svc's
// status matching its stage, its whole quantity reserved (or waiting in the backorder
// queue), one live label per warehouse that holds its stock, and no ticket; the stock
// ledger's invariants hold.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

constexpr int kRounds = 10;
constexpr int kClients = 4;
constexpr char kTea[] = "TEA-LONGJING-250G";

class ShutdownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{kTea, 5000}}).ok());
  }

  // Clients placing orders until `stop`, each with a key of its own; acknowledged ids kept.
  void Load(int round, std::atomic<bool>& stop) {
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([this, round, c, &stop] {
        for (int i = 0; !stop.load(); ++i) {
          std::string reference = absl::StrCat("DOWN-", round, "-", c, "-", i);
          orchestrator::v1::PlaceOrderRequest request;
          request.set_idempotency_key(reference);
          *request.mutable_order() = order::SampleCreateOrder(reference);
          request.mutable_order()->mutable_lines()->DeleteSubrange(1, 1);  // tea only: 2 units
          auto stub =
              orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
          orchestrator::v1::PlaceOrderResponse placed;
          grpc::Status status =
              Try(stub.get(), &orchestrator::v1::OrchestratorService::Stub::PlaceOrder, request,
                  &placed);
          std::lock_guard<std::mutex> lock(mu_);
          if (status.ok()) {
            acknowledged_.insert(placed.order_id());
          } else {
            absl::SleepFor(absl::Milliseconds(20));  // the suite is going down
          }
        }
      });
    }
    load_ = std::move(clients);
  }

  size_t Acknowledged() {
    std::lock_guard<std::mutex> lock(mu_);
    return acknowledged_.size();
  }

  // Every order order_svc holds (the acknowledged ones and those cut off mid-PlaceOrder).
  std::vector<order::v1::Order> AllOrders() {
    auto orders = order::v1::OrderService::NewStub(suite_.order().NewChannel());
    std::vector<order::v1::Order> all;
    order::v1::ListOrdersRequest list;
    list.set_page_size(500);
    do {
      order::v1::ListOrdersResponse page;
      EXPECT_TRUE(Try(orders.get(), &order::v1::OrderService::Stub::ListOrders, list, &page).ok());
      all.insert(all.end(), page.orders().begin(), page.orders().end());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    return all;
  }

  // The order is at rest and consistent; "" or what is wrong.
  std::string Inconsistency(const order::v1::Order& order) {
    auto orchestrator =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    orchestrator::v1::GetWorkflowRequest get;
    get.set_order_id(order.order_id());
    orchestrator::v1::Workflow wf;
    grpc::Status found = Try(orchestrator.get(),
                             &orchestrator::v1::OrchestratorService::Stub::GetWorkflow, get, &wf);
    if (!found.ok()) return "no workflow: " + found.error_message();
    if (wf.stage() != orchestrator::v1::AWAITING_PICKUP &&
        wf.stage() != orchestrator::v1::BACKORDERED) {
      return absl::StrCat("stage ", orchestrator::v1::Stage_Name(wf.stage()), " (", wf.last_error(),
                          ")");
    }
    order::v1::OrderStatus expected = wf.stage() == orchestrator::v1::AWAITING_PICKUP
                                          ? order::v1::ALLOCATED
                                          : order::v1::BACKORDERED;
    if (order.status() != expected || wf.order_status() != expected) {
      return absl::StrCat("order ", order::v1::OrderStatus_Name(order.status()), ", workflow saw ",
                          order::v1::OrderStatus_Name(wf.order_status()), " at stage ",
                          orchestrator::v1::Stage_Name(wf.stage()));
    }
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    inventory::v1::GetAllocationRequest allocation_request;
    allocation_request.set_order_id(order.order_id());
    inventory::v1::Allocation allocation;
    if (!Try(inventory.get(), &inventory::v1::InventoryService::Stub::GetAllocation,
             allocation_request, &allocation)
             .ok()) {
      return "no allocation";
    }
    int64_t held = 0;
    std::set<std::string> holding;
    for (const auto& r : allocation.reservations()) {
      if (r.status() != inventory::v1::Reservation::ACTIVE) continue;
      held += r.quantity();
      holding.insert(r.warehouse_id());
    }
    for (const auto& b : allocation.backordered()) held += b.quantity();
    if (held != 2) return absl::StrCat(held, " units held for an order of 2");
    auto logistics = logistics::v1::LogisticsService::NewStub(suite_.logistics().NewChannel());
    logistics::v1::ListShipmentsRequest list;
    list.set_order_id(order.order_id());
    logistics::v1::ListShipmentsResponse shipments;
    if (!Try(logistics.get(), &logistics::v1::LogisticsService::Stub::ListShipments, list,
             &shipments)
             .ok()) {
      return "shipments unreadable";
    }
    std::multiset<std::string> labelled;
    for (const auto& s : shipments.shipments()) {
      if (s.state() != logistics::v1::CANCELLED) labelled.insert(s.warehouse_id());
    }
    std::multiset<std::string> want =
        wf.stage() == orchestrator::v1::AWAITING_PICKUP
            ? std::multiset<std::string>(holding.begin(), holding.end())
            : std::multiset<std::string>();
    if (labelled != want) return absl::StrCat(labelled.size(), " live labels");
    orchestrator::v1::ListExceptionsRequest tickets;
    tickets.set_order_id(order.order_id());
    orchestrator::v1::ListExceptionsResponse listed;
    Try(orchestrator.get(), &orchestrator::v1::OrchestratorService::Stub::ListExceptions, tickets,
        &listed);
    if (listed.tickets_size() > 0) {
      return absl::StrCat("ticket ", orchestrator::v1::ExceptionType_Name(listed.tickets(0).type()),
                          ": ", listed.tickets(0).description());
    }
    return "";
  }

  testing::TempDir dir_;
  Suite suite_{dir_.path()};
  std::mutex mu_;
  std::set<std::string> acknowledged_;
  std::vector<std::thread> load_;
};

TEST_F(ShutdownTest, EveryOrderIsConsistentAfterOmsDownUnderLoadTenTimes) {
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    std::atomic<bool> stop{false};
    size_t before = Acknowledged();
    Load(round, stop);
    for (absl::Time give_up = absl::Now() + absl::Seconds(30);
         Acknowledged() < before + 10 + 2 * round && absl::Now() < give_up;) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    absl::Status stopped = suite_.StopAll();  // under load
    stop = true;
    for (std::thread& t : load_) t.join();
    EXPECT_TRUE(stopped.ok()) << stopped;  // each drained and exited 0
    ASSERT_TRUE(suite_.Restart().ok());

    std::vector<order::v1::Order> orders;
    std::map<std::string, std::string> wrong;
    for (absl::Time give_up = absl::Now() + absl::Seconds(60); absl::Now() < give_up;
         absl::SleepFor(absl::Milliseconds(200))) {
      orders = AllOrders();
      wrong.clear();
      for (const order::v1::Order& order : orders) {
        std::string problem = Inconsistency(order);
        if (!problem.empty()) wrong[order.order_id()] = problem;
      }
      if (wrong.empty()) break;
    }
    std::set<std::string> present;
    for (const order::v1::Order& order : orders) present.insert(order.order_id());
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const std::string& id : acknowledged_) EXPECT_TRUE(present.count(id)) << id << " lost";
    }
    for (const auto& [id, problem] : wrong) ADD_FAILURE() << id << ": " << problem;
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    inventory::v1::CheckInvariantsResponse invariants;
    ASSERT_TRUE(Try(inventory.get(), &inventory::v1::InventoryService::Stub::CheckInvariants,
                    inventory::v1::CheckInvariantsRequest(), &invariants)
                    .ok());
    EXPECT_TRUE(invariants.clean()) << invariants.ShortDebugString();
    if (HasFailure()) break;  // the first round that goes wrong says enough
  }
  EXPECT_GE(Acknowledged(), static_cast<size_t>(kRounds * 10));
}

}  // namespace
}  // namespace oms::integration
