#include "platform/storage/commit_signal.h"

#include <atomic>

#include "gtest/gtest.h"
#include "platform/storage/sqlite.h"

namespace oms {
namespace {

absl::Status Insert(Database& db) {
  return db.Transact([](Session& s) { return s.Exec("INSERT INTO t(v) VALUES (1)").status(); });
}

TEST(CommitSignalTest, WakersRunOnEveryCommitAndAtCloseUntilRemoved) {
  std::unique_ptr<Database> db = *SqliteDatabase::Open(":memory:");
  ASSERT_TRUE(db->Migrate("t", {"CREATE TABLE t (v INTEGER)"}).ok());
  CommitSignal signal(db.get());
  std::atomic<int> woken{0};
  std::atomic<uint64_t> generation_seen{0};
  int waker = signal.AddWaker([&] {
    ++woken;
    generation_seen = signal.Generation();  // already moved when the waker runs
  });
  ASSERT_TRUE(Insert(*db).ok());
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(generation_seen, signal.Generation());
  ASSERT_TRUE(db->Read([](Session&) { return absl::OkStatus(); }).ok());
  EXPECT_EQ(woken, 1) << "a read is no commit";

  signal.Close();
  EXPECT_EQ(woken, 2);
  EXPECT_TRUE(signal.closed());
  EXPECT_FALSE(signal.WaitForChange(signal.Generation(), absl::Seconds(5)));

  signal.RemoveWaker(waker);
  ASSERT_TRUE(Insert(*db).ok());
  EXPECT_EQ(woken, 2);
}

}  // namespace
}  // namespace oms
