// `tools/backup` takes its snapshot while orders, reservations and tickets are being written;
// a fresh suite started on the restored stores holds everything acknowledged before the
// backup began, and inventory's invariants hold.
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

// The four services an order touches before it ships, in one directory.
struct Suite {
  explicit Suite(const std::string& dir) : dir(dir) {}
  absl::Status Start() {
    for (ServiceProcess* p : {&order, &inventory}) {
      if (auto s = p->Start(); !s.ok()) return s;
    }
    logistics = LogisticsWithCarriers(dir);
    if (auto s = logistics->Start(); !s.ok()) return s;
    orchestrator = OrchestratorFor(dir, order, inventory, *logistics);
    return orchestrator->Start();
  }
  std::string dir;
  ServiceProcess order{"order_svc", dir};
  ServiceProcess inventory{"inventory_svc", dir};
  std::unique_ptr<ServiceProcess> logistics;
  std::unique_ptr<ServiceProcess> orchestrator;
};

// What the writer had acknowledged: orders placed, direct reservations, tickets opened.
struct Acknowledged {
  std::vector<std::string> orders, reservations, tickets;
};

int RunBackupTool(const std::string& from, const std::string& to) {
  std::string command = absl::StrCat(RunfilesBinary("tools/backup", "backup"), " --from=", from,
                                     " --to=", to, " >/dev/null");
  return std::system(command.c_str());
}

TEST(BackupRestoreTest, SnapshotUnderWriteLoadRestoresEveryAcknowledgedWrite) {
  testing::TempDir live_dir;
  Suite live(live_dir.path());
  ASSERT_TRUE(Started(live.Start()));
  auto inventory = inventory::v1::InventoryService::NewStub(live.inventory.NewChannel());
  ASSERT_TRUE(
      SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 100000}, {"CUP-CELADON", 100000}}).ok());

  std::mutex mu;
  Acknowledged acked;
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::thread writer([&] {
    auto orchestrator =
        orchestrator::v1::OrchestratorService::NewStub(live.orchestrator->NewChannel());
    auto stock = inventory::v1::InventoryService::NewStub(live.inventory.NewChannel());
    for (int i = 0; !stop.load(); ++i) {
      grpc::ClientContext place_context;
      orchestrator::v1::PlaceOrderRequest place;
      place.set_idempotency_key(absl::StrCat("backup-", i));
      *place.mutable_order() = order::SampleCreateOrder(absl::StrCat("BACKUP-", i));
      orchestrator::v1::PlaceOrderResponse placed;
      ASSERT_TRUE(orchestrator->PlaceOrder(&place_context, place, &placed).ok());
      {
        std::lock_guard<std::mutex> lock(mu);
        acked.orders.push_back(placed.order_id());
      }
      grpc::ClientContext allocate_context;
      inventory::v1::AllocateRequest allocate;
      allocate.set_idempotency_key(absl::StrCat("direct-", i));
      allocate.set_order_id(absl::StrCat("direct-", i));
      allocate.set_region("East");
      allocate.set_policy(inventory::v1::ALLOW_PARTIAL);
      inventory::v1::AllocationLine* line = allocate.add_lines();
      line->set_sku("CUP-CELADON");
      line->set_quantity(1);
      inventory::v1::Allocation allocation;
      grpc::Status allocated = stock->Allocate(&allocate_context, allocate, &allocation);
      ASSERT_TRUE(allocated.ok()) << allocated.error_message();
      {
        std::lock_guard<std::mutex> lock(mu);
        acked.reservations.push_back(allocate.order_id());
      }
      if (i % 5 == 0) {
        grpc::ClientContext open_context;
        orchestrator::v1::OpenExceptionRequest open;
        open.set_idempotency_key(absl::StrCat("complaint-", i));
        open.set_order_id(placed.order_id());
        open.set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
        open.set_description("备份期间的投诉");
        open.set_actor("cs.wang");
        orchestrator::v1::ExceptionTicket ticket;
        ASSERT_TRUE(orchestrator->OpenException(&open_context, open, &ticket).ok());
        std::lock_guard<std::mutex> lock(mu);
        acked.tickets.push_back(ticket.ticket_id());
      }
      ++writes;
    }
  });
  auto wait_writes = [&](int n) {
    for (absl::Time give_up = absl::Now() + absl::Seconds(60);
         writes.load() < n && absl::Now() < give_up;) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  };
  wait_writes(30);
  Acknowledged before;
  {
    std::lock_guard<std::mutex> lock(mu);
    before = acked;
  }
  const std::string snapshot = live_dir.path() + "/snapshot";
  int tool_status = RunBackupTool(live_dir.path(), snapshot);
  int at_backup_end = writes.load();
  wait_writes(at_backup_end + 10);  // writes go on after the snapshot, too
  stop = true;
  writer.join();
  ASSERT_EQ(tool_status, 0);
  ASSERT_GE(before.orders.size(), 30u);

  testing::TempDir restored_dir;
  for (const char* name : {"order_svc", "inventory_svc", "logistics_svc", "orchestrator_svc"}) {
    std::filesystem::copy_file(absl::StrCat(snapshot, "/", name, ".db"),
                               absl::StrCat(restored_dir.path(), "/", name, ".db"));
  }
  Suite restored(restored_dir.path());
  ASSERT_TRUE(Started(restored.Start()));
  auto orders = order::v1::OrderService::NewStub(restored.order.NewChannel());
  auto orchestrator =
      orchestrator::v1::OrchestratorService::NewStub(restored.orchestrator->NewChannel());
  auto stock = inventory::v1::InventoryService::NewStub(restored.inventory.NewChannel());
  for (const std::string& id : before.orders) {
    grpc::ClientContext o, w;
    order::v1::GetOrderRequest get;
    get.set_order_id(id);
    order::v1::Order order;
    EXPECT_TRUE(orders->GetOrder(&o, get, &order).ok()) << id;
    orchestrator::v1::GetWorkflowRequest workflow_request;
    workflow_request.set_order_id(id);
    orchestrator::v1::Workflow workflow;
    EXPECT_TRUE(orchestrator->GetWorkflow(&w, workflow_request, &workflow).ok()) << id;
  }
  for (const std::string& id : before.reservations) {
    grpc::ClientContext a;
    inventory::v1::GetAllocationRequest get;
    get.set_order_id(id);
    inventory::v1::Allocation allocation;
    ASSERT_TRUE(stock->GetAllocation(&a, get, &allocation).ok()) << id;
    EXPECT_EQ(allocation.reservations_size(), 1) << id;
  }
  for (const std::string& id : before.tickets) {
    grpc::ClientContext t;
    orchestrator::v1::GetExceptionRequest get;
    get.set_ticket_id(id);
    orchestrator::v1::ExceptionTicket ticket;
    EXPECT_TRUE(orchestrator->GetException(&t, get, &ticket).ok()) << id;
  }
  grpc::ClientContext c;
  inventory::v1::CheckInvariantsResponse invariants;
  ASSERT_TRUE(stock->CheckInvariants(&c, {}, &invariants).ok());
  EXPECT_TRUE(invariants.clean());
}

}  // namespace
}  // namespace oms::integration
