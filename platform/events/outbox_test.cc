#include "platform/events/outbox.h"

#include <thread>

#include "gtest/gtest.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/status.h"
#include "platform/testing/store_test.h"

namespace oms {
namespace {

class OutboxTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
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

TEST_P(OutboxTest, AppendsInTheCallersTransactionWithDenseSeqs) {
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

TEST_P(OutboxTest, RolledBackChangeLeavesNoEvent) {
  absl::Status status = db_->Transact([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(outbox_->Append(s, "agg1", Payload(1)).status());
    return absl::AbortedError("state change failed");
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(*outbox_->LastSeq(), 0);
  ASSERT_TRUE(
      db_->Transact([&](Session& s) { return outbox_->Append(s, "agg1", Payload(1)).status(); })
          .ok());
  std::vector<events::v1::Event> listed = *outbox_->List(0, 10, {});
  ASSERT_EQ(listed.size(), 1u);
  // SQLite hands out seq 1 again; a PostgreSQL sequence does not go back, so there is a hole
  // where the rolled-back event was (consumers follow seq order and accept holes).
  EXPECT_EQ(listed[0].seq(), engine() == Engine::kSqlite ? 1 : 2);
}

// A replayable commit may be taken back by a power loss after a reader saw its event; the
// number would then go to another event, which that reader skips. So none is appended.
TEST_P(OutboxTest, AReplayableTransactionMayNotAppendAnEvent) {
  absl::Status status =
      db_->Transact([&](Session& s) { return outbox_->Append(s, "agg1", Payload(1)).status(); },
                    Durability::kReplayable);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(*outbox_->LastSeq(), 0);
}

TEST_P(OutboxTest, AReaderBehindRetentionIsToldNotMovedPastWhatItMissed) {
  for (int second : {1, 2, 3}) {
    clock_.Set(absl::FromUnixSeconds(second));
    ASSERT_TRUE(
        db_->Transact([&](Session& s) { return outbox_->Append(s, "a", Payload(second)).status(); })
            .ok());
  }
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(3)), 2);
  EXPECT_EQ(outbox_->List(0, 10, {}).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(outbox_->List(1, 10, {}).status().code(), absl::StatusCode::kDataLoss);
  absl::StatusOr<std::vector<events::v1::Event>> caught_up = outbox_->List(2, 10, {});
  ASSERT_TRUE(caught_up.ok()) << caught_up.status();
  ASSERT_EQ(caught_up->size(), 1u);
  EXPECT_EQ((*caught_up)[0].seq(), 3);
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(2)), 0);  // never moves back
  EXPECT_EQ(outbox_->List(1, 10, {}).status().code(), absl::StatusCode::kDataLoss);
}

// Retention keeps what an active reader has not read, whatever its age; a reader gone
// longer than the horizon no longer holds it back.
TEST_P(OutboxTest, TheSlowestActiveReaderHoldsRetentionBack) {
  for (int second : {1, 2, 3, 4}) {
    clock_.Set(absl::FromUnixSeconds(second));
    ASSERT_TRUE(
        db_->Transact([&](Session& s) { return outbox_->Append(s, "a", Payload(second)).status(); })
            .ok());
  }
  clock_.Set(absl::FromUnixSeconds(100));
  outbox_->NoteReader("notify_svc", 4);
  outbox_->NoteReader("analytics_svc", 1);  // has read event 1 only
  const absl::Time since = absl::FromUnixSeconds(50);
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(10), since), 1);
  ASSERT_TRUE(outbox_->List(1, 10, {}).ok());  // the slow reader goes on where it was
  // It reads on; within the throttle its rise is not written yet, so nothing more goes.
  outbox_->NoteReader("analytics_svc", 3);
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(10), since), 0);
  clock_.Set(absl::FromUnixSeconds(106));  // past the throttle: the rise is written
  outbox_->NoteReader("analytics_svc", 4);
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(10), since), 3);
  // A reader starting over is written at once and holds the rest.
  clock_.Set(absl::FromUnixSeconds(107));
  ASSERT_TRUE(
      db_->Transact([&](Session& s) { return outbox_->Append(s, "a", Payload(5)).status(); }).ok());
  outbox_->NoteReader("erp", 4);
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(200), since), 0);
  // Gone past the horizon, readers no longer count.
  EXPECT_EQ(*outbox_->PruneBefore(absl::FromUnixSeconds(200), absl::FromUnixSeconds(150)), 1);
}

TEST_P(OutboxTest, ListsAfterCursorWithLimitAndTypeFilter) {
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

// FeedWatchers reads once for streams of different filters: a look opens only the wanted
// events' payloads and says how far it looked, wanted or not.
TEST_P(OutboxTest, ALookOpensOnlyWantedEventsAndSaysHowFarItLooked) {
  ASSERT_TRUE(db_->Transact([&](Session& s) -> absl::Status {
                   OMS_RETURN_IF_ERROR(outbox_->Append(s, "a", Payload(1), "WEB").status());
                   OMS_RETURN_IF_ERROR(
                       outbox_->Append(s, "b", common::v1::GetServiceInfoRequest()).status());
                   OMS_RETURN_IF_ERROR(outbox_->Append(s, "c", Payload(3), "ERP").status());
                   return outbox_->Append(s, "d", common::v1::GetServiceInfoRequest()).status();
                 })
                  .ok());
  // The other type's payloads cannot be opened: a look that opened them would fail.
  ASSERT_TRUE(db_->Transact([&](Session& s) {
                   return s
                       .Exec("UPDATE outbox SET payload = ? WHERE type = ?",
                             {SqlArg::Blob(std::string(4, '\xff')), "GetServiceInfoRequest"})
                       .status();
                 })
                  .ok());
  ASSERT_FALSE(outbox_->List(0, 10, {}).ok());
  auto money = [](absl::string_view type, absl::string_view) { return type == "Money"; };

  absl::StatusOr<Outbox::Window> all = outbox_->Look(0, 10, money);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->events.size(), 2u);
  EXPECT_EQ(all->events[0].seq(), 1);
  EXPECT_EQ(all->events[0].channel(), "WEB");
  EXPECT_EQ(all->events[1].seq(), 3);
  common::v1::Money payload;
  ASSERT_TRUE(all->events[1].payload().UnpackTo(&payload));
  EXPECT_EQ(payload.minor_units(), 3);
  EXPECT_EQ(all->through_seq, 4);  // the last event was looked at, though not wanted
  EXPECT_FALSE(all->full);

  absl::StatusOr<Outbox::Window> first_two = outbox_->Look(0, 2, money);
  ASSERT_TRUE(first_two.ok());
  ASSERT_EQ(first_two->events.size(), 1u);
  EXPECT_EQ(first_two->through_seq, 2);
  EXPECT_TRUE(first_two->full);  // stopped short: more may follow

  absl::StatusOr<Outbox::Window> erp_only = outbox_->Look(
      2, 10, [](absl::string_view, absl::string_view channel) { return channel == "ERP"; });
  ASSERT_TRUE(erp_only.ok());
  ASSERT_EQ(erp_only->events.size(), 1u);
  EXPECT_EQ(erp_only->events[0].seq(), 3);

  absl::StatusOr<Outbox::Window> nothing_new = outbox_->Look(4, 10, money);
  ASSERT_TRUE(nothing_new.ok());
  EXPECT_TRUE(nothing_new->events.empty());
  EXPECT_EQ(nothing_new->through_seq, 4);
  EXPECT_FALSE(
      outbox_->Look(0, 10, [](absl::string_view, absl::string_view) { return true; }).ok());
}

TEST_P(OutboxTest, CommitSignalWakesWaitersOnCommitAndOnClose) {
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

OMS_ON_EVERY_ENGINE(OutboxTest);

}  // namespace
}  // namespace oms
