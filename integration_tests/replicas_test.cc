// Two replicas of inventory_svc on one PostgreSQL database, as `./oms up --postgres
// --replicas 2` runs them: 200 clients racing for 10 units across both (one replica killed
// with SIGKILL mid-race) never oversell; a follower of the event feed sees every event of
// both writers exactly once, in order, while they write; and when PostgreSQL goes away
// calls fail cleanly and work again once it is back, without restarting the replicas; and
// a principal's write limit holds for the service, not per replica.
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "integration_tests/replica_set.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "platform/testing/postgres_server.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using inventory::v1::InventoryService;

constexpr int kClients = 200;
constexpr int kUnits = 10;

class ReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PostgresServer*> server = testing::PostgresServer::Get();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *server;
    ASSERT_TRUE(Started(replicas_.Start()));
    absl::Status seeded = SeedCatalogue(*Stub(0), {{"TEA-1", kUnits}});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  std::unique_ptr<InventoryService::Stub> Stub(int replica) {
    return InventoryService::NewStub(replicas_.replica(replica).NewChannel());
  }

  static inventory::v1::AllocateRequest OneUnit(int client) {
    inventory::v1::AllocateRequest request;
    request.set_idempotency_key("alloc-" + std::to_string(client));
    request.set_order_id("ord_" + std::to_string(client));
    request.set_policy(inventory::v1::ALLOW_PARTIAL);
    request.add_lines()->set_sku("TEA-1");
    request.mutable_lines(0)->set_quantity(1);
    return request;
  }

  // Every event of the feed from the start, through `replica`, page by page.
  std::vector<events::v1::Event> WholeFeed(int replica) {
    auto feed = events::v1::EventFeed::NewStub(replicas_.replica(replica).NewChannel());
    std::vector<events::v1::Event> all;
    int64_t after = 0;
    while (true) {
      grpc::ClientContext context;
      events::v1::ListEventsRequest request;
      request.set_after_seq(after);
      request.set_limit(1000);
      events::v1::ListEventsResponse page;
      EXPECT_TRUE(feed->ListEvents(&context, request, &page).ok());
      if (page.events_size() == 0) return all;
      for (const auto& e : page.events()) all.push_back(e);
      after = page.events(page.events_size() - 1).seq();
    }
  }

  testing::PostgresServer* server_ = nullptr;
  testing::TempDir dir_;
  ReplicaSet replicas_{"inventory_svc", dir_.path(), 2};  // on PostgreSQL (BUILD: env)
};

TEST_F(ReplicasTest, ClientsRacingAcrossReplicasNeverOversellAndTheFeedMissesNothing) {
  // A follower reads the feed by sequence number while both replicas write, alternating
  // between them, as a consumer behind a round-robin channel would.
  std::atomic<bool> writers_done{false};
  std::vector<events::v1::Event> followed;
  std::thread follower([&] {
    int64_t after = 0;
    for (int turn = 0;; ++turn) {
      bool last_round = writers_done.load();
      auto feed = events::v1::EventFeed::NewStub(replicas_.replica(turn % 2).NewChannel());
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      events::v1::ListEventsRequest request;
      request.set_after_seq(after);
      events::v1::ListEventsResponse page;
      if (!feed->ListEvents(&context, request, &page).ok()) continue;  // a replica killed
      for (const auto& e : page.events()) followed.push_back(e);
      if (page.events_size() > 0) after = page.events(page.events_size() - 1).seq();
      if (last_round && page.events_size() == 0) return;
    }
  });

  std::atomic<int> acknowledged{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      // Half the clients call replica 1, which is killed mid-race; their retries (same
      // idempotency key) go to replica 0.
      for (int attempt = 0; attempt < 50; ++attempt) {
        int replica = (c % 2 == 1 && attempt == 0) ? 1 : 0;
        auto stub = InventoryService::NewStub(replicas_.replica(replica).NewChannel());
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
        inventory::v1::Allocation allocation;
        if (stub->Allocate(&context, OneUnit(c), &allocation).ok()) {
          ++acknowledged;
          return;
        }
      }
    });
  }
  while (acknowledged.load() < kClients / 4) {
  }
  replicas_.replica(1).Kill();
  const int acknowledged_at_kill = acknowledged.load();
  for (std::thread& t : clients) t.join();
  writers_done = true;
  follower.join();
  ASSERT_EQ(acknowledged.load(), kClients);
  EXPECT_LT(acknowledged_at_kill, kClients);  // the kill landed mid-race

  auto stub = Stub(0);
  int64_t reserved_total = 0, waiting_total = 0;
  for (int c = 0; c < kClients; ++c) {
    grpc::ClientContext context;
    inventory::v1::GetAllocationRequest request;
    request.set_order_id("ord_" + std::to_string(c));
    inventory::v1::Allocation allocation;
    ASSERT_TRUE(stub->GetAllocation(&context, request, &allocation).ok()) << c;
    const auto [reserved, waiting] = UnitsOf(allocation);
    EXPECT_EQ(reserved + waiting, 1) << c;  // exactly once, never twice
    reserved_total += reserved;
    waiting_total += waiting;
  }
  EXPECT_EQ(reserved_total, kUnits);
  EXPECT_EQ(waiting_total, kClients - kUnits);

  grpc::ClientContext stock_context;
  inventory::v1::GetStockRequest stock_request;
  stock_request.set_sku("TEA-1");
  inventory::v1::StockSummary stock;
  ASSERT_TRUE(stub->GetStock(&stock_context, stock_request, &stock).ok());
  EXPECT_EQ(stock.on_hand(), kUnits);
  EXPECT_EQ(stock.reserved(), kUnits);
  EXPECT_EQ(stock.available(), 0);
  grpc::ClientContext check_context;
  inventory::v1::CheckInvariantsResponse invariants;
  ASSERT_TRUE(
      stub->CheckInvariants(&check_context, inventory::v1::CheckInvariantsRequest(), &invariants)
          .ok());
  EXPECT_TRUE(invariants.clean()) << invariants.DebugString();

  // The follower saw exactly the feed as it stands now: nothing skipped, nothing twice, in
  // order, although two processes appended to it concurrently.
  std::vector<events::v1::Event> feed = WholeFeed(0);
  ASSERT_EQ(followed.size(), feed.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < feed.size(); ++i) {
    EXPECT_EQ(followed[i].event_id(), feed[i].event_id()) << i;
    if (i > 0) {
      EXPECT_GT(feed[i].seq(), feed[i - 1].seq());
    }
    ids.insert(feed[i].event_id());
  }
  EXPECT_EQ(ids.size(), feed.size());
  EXPECT_GE(feed.size(), static_cast<size_t>(kClients));  // an event per allocation at least
}

TEST_F(ReplicasTest, CallsFailCleanlyWhilePostgresIsDownAndWorkAgainWhenItIsBack) {
  ASSERT_TRUE(server_->Stop().ok());
  for (int r = 0; r < 2; ++r) {
    auto stub = Stub(r);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    inventory::v1::Allocation allocation;
    grpc::Status down = stub->Allocate(&context, OneUnit(r), &allocation);
    EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  }
  ASSERT_TRUE(server_->Start().ok());
  for (int r = 0; r < 2; ++r) {
    auto stub = Stub(r);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    inventory::v1::Allocation allocation;
    grpc::Status back = stub->Allocate(&context, OneUnit(r), &allocation);
    EXPECT_TRUE(back.ok()) << r << ": " << back.error_message();
  }
  // The retried keys did not take a unit twice.
  auto stub = Stub(0);
  grpc::ClientContext stock_context;
  inventory::v1::GetStockRequest stock_request;
  stock_request.set_sku("TEA-1");
  inventory::v1::StockSummary stock;
  ASSERT_TRUE(stub->GetStock(&stock_context, stock_request, &stock).ok());
  EXPECT_EQ(stock.reserved(), 2);
}

// A principal's write limit is one limit for the service, not one per replica: both
// replicas draw on one bucket in their shared store (shared_rate_limiter.h).
TEST(WriteLimitAcrossReplicasTest, APrincipalGetsOneBurstAcrossBothReplicas) {
  testing::TempDir dir;
  ReplicaSet replicas("inventory_svc", dir.path(), 2, {"--write_rate=1", "--write_burst=20"});
  ASSERT_TRUE(Started(replicas.Start()));
  int admitted = 0, refused = 0;
  const absl::Time start = absl::Now();
  for (int i = 0; i < 60; ++i) {
    auto stub = InventoryService::NewStub(replicas.replica(i % 2).NewChannel());
    grpc::ClientContext context;
    inventory::v1::CreateWarehouseRequest request;
    request.mutable_warehouse()->set_warehouse_id("WH-" + std::to_string(i));
    request.mutable_warehouse()->set_name("warehouse " + std::to_string(i));
    request.mutable_warehouse()->set_region("East");
    inventory::v1::Warehouse created;
    grpc::Status status = stub->CreateWarehouse(&context, request, &created);
    if (status.ok()) {
      ++admitted;
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << status.error_message();
      ++refused;
    }
  }
  // The burst of 20, plus what one token a second earned meanwhile, plus at most one held
  // batch (one token at this rate) per replica; a limit per replica would have let 40 in.
  const int earned = static_cast<int>(absl::ToDoubleSeconds(absl::Now() - start)) + 1;
  EXPECT_GE(admitted, 20);
  EXPECT_LE(admitted, 20 + earned + 2);
  EXPECT_EQ(admitted + refused, 60);
}

}  // namespace
}  // namespace oms::integration
