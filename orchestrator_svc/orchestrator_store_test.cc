// The orchestrator store on an in-memory database: one workflow per order, stale saves
// refused, the due list by time, one open ticket per order and type.
#include "orchestrator_svc/orchestrator_store.h"

#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::orchestrator::store {
namespace {

class OrchestratorStoreTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("orchestrator", Migrations()).ok());
  }

  v1::Workflow Workflow(const std::string& order_id, int64_t due_s) {
    v1::Workflow wf;
    wf.set_order_id(order_id);
    wf.set_stage(v1::ALLOCATING);
    *wf.mutable_next_run_at() = ToProtoTime(absl::FromUnixSeconds(due_s));
    return wf;
  }

  std::unique_ptr<Database> db_;
};

TEST_P(OrchestratorStoreTest, OneWorkflowPerOrderAndAStaleSaveIsAborted) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(bool first, InsertWorkflow(s, Workflow("ord_1", 10)));
                   EXPECT_TRUE(first);
                   OMS_ASSIGN_OR_RETURN(bool second, InsertWorkflow(s, Workflow("ord_1", 10)));
                   EXPECT_FALSE(second);
                   return absl::OkStatus();
                 })
                  .ok());
  std::optional<VersionedWorkflow> read;
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(read, FindWorkflow(s, "ord_1"));
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(read.has_value());
  VersionedWorkflow stale = *read;
  read->workflow.set_stage(v1::SHIPPING);
  ASSERT_TRUE(db_->Transact([&](Session& s) { return SaveWorkflow(s, *read); }).ok());
  stale.workflow.set_stage(v1::CANCELLING);
  EXPECT_EQ(db_->Transact([&](Session& s) { return SaveWorkflow(s, stale); }).code(),
            absl::StatusCode::kAborted);
}

TEST_P(OrchestratorStoreTest, DueWorkflowsByTime) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_RETURN_IF_ERROR(InsertWorkflow(s, Workflow("ord_late", 100)).status());
                   OMS_RETURN_IF_ERROR(InsertWorkflow(s, Workflow("ord_now", 5)).status());
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(std::vector<VersionedWorkflow> due,
                                        DueWorkflows(s, absl::FromUnixSeconds(10), 10));
                   EXPECT_EQ(due.size(), 1u);
                   if (!due.empty()) {
                     EXPECT_EQ(due[0].workflow.order_id(), "ord_now");
                   }
                   return absl::OkStatus();
                 })
                  .ok());
}

TEST_P(OrchestratorStoreTest, OneOpenTicketPerOrderAndType) {
  v1::ExceptionTicket t;
  t.set_ticket_id("tkt_1");
  t.set_order_id("ord_1");
  t.set_type(v1::STOCK_SHORTAGE);
  t.set_status(v1::ExceptionTicket::OPEN);
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(bool inserted, InsertTicket(s, t));
                   EXPECT_TRUE(inserted);
                   v1::ExceptionTicket twin = t;
                   twin.set_ticket_id("tkt_2");
                   OMS_ASSIGN_OR_RETURN(inserted, InsertTicket(s, twin));
                   EXPECT_FALSE(inserted);
                   return absl::OkStatus();
                 })
                  .ok());
  ASSERT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                   OMS_ASSIGN_OR_RETURN(std::optional<v1::ExceptionTicket> open,
                                        OpenTicket(s, "ord_1", v1::STOCK_SHORTAGE));
                   EXPECT_TRUE(open.has_value());
                   EXPECT_EQ(LoadTicket(s, "tkt_nope").status().code(),
                             absl::StatusCode::kNotFound);
                   return absl::OkStatus();
                 })
                  .ok());
}

OMS_ON_EVERY_ENGINE(OrchestratorStoreTest);

}  // namespace
}  // namespace oms::orchestrator::store
