#include "platform/security/audit_log.h"

#include "gtest/gtest.h"
#include "platform/testing/store_test.h"

namespace oms {
namespace {

using security::v1::ListAuditLogRequest;

auth::CallInfo Call(const std::string& principal, const std::string& method) {
  auth::CallInfo call;
  call.principal.name = principal;
  call.method = method;
  call.request_id = "req-1";
  return call;
}

class AuditLogTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("audit", AuditLog::Migrations()).ok());
    ASSERT_TRUE(
        db_->Transact([](Session& s) { return s.ExecScript("CREATE TABLE things(id TEXT)"); })
            .ok());
    log_ = std::make_unique<AuditLog>(db_.get(), &clock_);
    log_->Attach();
  }

  absl::Status InsertThing(const std::string& id, bool then_fail = false) {
    return db_->Transact([&](Session& s) -> absl::Status {
      absl::Status inserted = s.Exec("INSERT INTO things(id) VALUES(?)", {id}).status();
      if (!inserted.ok()) return inserted;
      auth::NoteTarget(id);
      return then_fail ? absl::AbortedError("changed my mind") : absl::OkStatus();
    });
  }

  security::v1::ListAuditLogResponse List(const ListAuditLogRequest& request = {}) {
    absl::StatusOr<security::v1::ListAuditLogResponse> listed = log_->List(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? *listed : security::v1::ListAuditLogResponse();
  }

  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AuditLog> log_;
};

TEST_P(AuditLogTest, AChangeMadeDuringACallIsRecordedInItsTransaction) {
  auth::CallInfo call = Call("ops", "/svc/AddThing");
  {
    auth::CallScope scope(&call);
    ASSERT_TRUE(InsertThing("thing-1").ok());
    ASSERT_FALSE(InsertThing("thing-2", /*then_fail=*/true).ok());  // rolled back with it
  }
  security::v1::ListAuditLogResponse log = List();
  ASSERT_EQ(log.entries_size(), 1);
  EXPECT_EQ(log.entries(0).principal(), "ops");
  EXPECT_EQ(log.entries(0).method(), "/svc/AddThing");
  EXPECT_EQ(log.entries(0).outcome(), "OK");
  EXPECT_EQ(log.entries(0).request_id(), "req-1");
  ASSERT_GE(log.entries(0).target_ids_size(), 1);
  EXPECT_EQ(log.entries(0).target_ids(0), "thing-1");
}

TEST_P(AuditLogTest, BackgroundWorkAndReadsLeaveNoEntry) {
  ASSERT_TRUE(InsertThing("by-a-sweep").ok());  // no call current
  auth::CallInfo call = Call("reader", "/svc/GetThing");
  auth::CallScope scope(&call);
  ASSERT_TRUE(db_->Transact([](Session&) { return absl::OkStatus(); }).ok());  // no change
  EXPECT_EQ(List().entries_size(), 0);
}

TEST_P(AuditLogTest, FailuresAreRecordedWithPersonalDataMasked) {
  log_->RecordFailure(Call("support", "/svc/Notify"), "INVALID_ARGUMENT",
                      "address jane.doe@example.com or +44 7700 900123 refused");
  security::v1::ListAuditLogResponse log = List();
  ASSERT_EQ(log.entries_size(), 1);
  EXPECT_EQ(log.entries(0).outcome(), "INVALID_ARGUMENT");
  EXPECT_EQ(log.entries(0).detail(), "address j***@example.com or +** **** ****23 refused");
}

TEST_P(AuditLogTest, FiltersAndPagesNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    auth::CallInfo call = Call(i % 2 == 0 ? "ops" : "erp", "/svc/AddThing");
    auth::CallScope scope(&call);
    ASSERT_TRUE(InsertThing("thing-" + std::to_string(i)).ok());
    clock_.Advance(absl::Seconds(1));
  }
  ListAuditLogRequest by_principal;
  by_principal.set_principal("erp");
  EXPECT_EQ(List(by_principal).entries_size(), 2);
  ListAuditLogRequest by_target;
  by_target.set_target_id("thing-3");
  ASSERT_EQ(List(by_target).entries_size(), 1);
  EXPECT_EQ(List(by_target).entries(0).principal(), "erp");
  ListAuditLogRequest wildcard;
  wildcard.set_target_id("thing-%");  // no LIKE wildcards from callers
  EXPECT_EQ(List(wildcard).entries_size(), 0);

  ListAuditLogRequest page;
  page.set_page_size(2);
  security::v1::ListAuditLogResponse first = List(page);
  ASSERT_EQ(first.entries_size(), 2);
  EXPECT_EQ(first.entries(0).target_ids(0), "thing-4");
  page.set_page_token(first.next_page_token());
  security::v1::ListAuditLogResponse second = List(page);
  ASSERT_EQ(second.entries_size(), 2);
  EXPECT_EQ(second.entries(0).target_ids(0), "thing-2");
  page.set_page_token(second.next_page_token());
  security::v1::ListAuditLogResponse last = List(page);
  EXPECT_EQ(last.entries_size(), 1);
  EXPECT_TRUE(last.next_page_token().empty());

  ListAuditLogRequest too_big;
  too_big.set_page_size(5000);
  EXPECT_EQ(log_->List(too_big).status().code(), absl::StatusCode::kInvalidArgument);
}

OMS_ON_EVERY_ENGINE(AuditLogTest);

}  // namespace
}  // namespace oms
