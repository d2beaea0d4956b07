#include "platform/events/outbox.h"

#include <thread>

#include "gtest/gtest.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/status.h"
#include "platform/storage/sqlite.h"

namespace oms {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *SqliteDatabase::Open(":memory:");
    ASSERT_TRUE(db_->Migrate("outbox", Outbox::Migrations()).ok());
    commits_ = std::make_unique<CommitSignal>(db_.get());
    outbox_ = std::make_unique<Outbox>(db_.get(), "test_svc", &clock_, &ids_, commits_.get());
  }

  common::v1::Money Payload(int64_t units) {
    common::v1::Money m;
    m.set_currency_code("CNY");
    m.set_minor_units(units);
    return m;
  }

  FakeClock clock_;
  IdGenerator ids_{&clock_};
  std::unique_ptr<Database> db_;
  std::unique_ptr<CommitSignal> commits_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, AppendsInTheCallersTransactionWithDenseSeqs) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_RETURN_IF_ERROR(outbox_->Append(s, "agg1", Payload(1)).status());
                   return outbox_->Append(s, "agg2", Payload(2)).status();
                 })
                  .ok());
  auto events = outbox_->List(0, 10, {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].seq(), 1);
  EXPECT_EQ((*events)[1].seq(), 2);
  EXPECT_EQ((*events)[0].type(), "Money");
  EXPECT_EQ((*events)[0].source(), "test_svc");
  EXPECT_EQ((*events)[1].aggregate_id(), "agg2");
  EXPECT_TRUE(HasIdShape((*events)[0].event_id(), "evt"));
  common::v1::Money payload;
  ASSERT_TRUE((*events)[1].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.minor_units(), 2);
  EXPECT_EQ(*outbox_->LastSeq(), 2);
}

TEST_F(OutboxTest, RolledBackChangeLeavesNoEvent) {
  absl::Status status = db_->Transact([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(outbox_->Append(s, "agg1", Payload(1)).status());
    return absl::AbortedError("state change failed");
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(*outbox_->LastSeq(), 0);
  // The next committed event still gets seq 1: no holes.
  ASSERT_TRUE(
      db_->Transact([&](Session& s) { return outbox_->Append(s, "agg1", Payload(1)).status(); })
          .ok());
  EXPECT_EQ((*outbox_->List(0, 10, {}))[0].seq(), 1);
}

TEST_F(OutboxTest, ListsAfterCursorWithLimitAndTypeFilter) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   for (int i = 0; i < 5; ++i) {
                     OMS_RETURN_IF_ERROR(outbox_->Append(s, "a", Payload(i)).status());
                   }
                   return outbox_->Append(s, "a", common::v1::ServiceInfo()).status();
                 })
                  .ok());
  auto page = outbox_->List(2, 2, {});
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq(), 3);
  auto infos = outbox_->List(0, 10, {std::string("ServiceInfo")});
  ASSERT_EQ(infos->size(), 1u);
  EXPECT_EQ((*infos)[0].seq(), 6);
}

TEST_F(OutboxTest, CommitSignalWakesWaitersOnCommitAndOnClose) {
  uint64_t seen = commits_->Generation();
  EXPECT_TRUE(commits_->WaitForChange(seen, absl::Milliseconds(1)));  // times out, still open
  std::thread writer([&] {
    EXPECT_TRUE(
        db_->Transact([&](Session& s) { return outbox_->Append(s, "a", Payload(1)).status(); })
            .ok());
  });
  EXPECT_TRUE(commits_->WaitForChange(seen, absl::Seconds(30)));
  writer.join();
  EXPECT_NE(commits_->Generation(), seen);
  commits_->Close();
  EXPECT_FALSE(commits_->WaitForChange(commits_->Generation(), absl::Seconds(30)));
}

}  // namespace
}  // namespace oms
