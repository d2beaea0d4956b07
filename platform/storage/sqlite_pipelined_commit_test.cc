// Pipelined group commit on SQLite (wal_sync.h): a durable group's fsync runs after the
// connection is released, so the next transactions run meanwhile; nobody learns of a write
// before it is on disk (its writer, a reader, a commit listener); a failed fsync fails them.
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

// A disk whose fsyncs stall until Release() and then answer `result`.
class StallingDisk {
 public:
  std::function<absl::Status()> Sync() {
    return [this] {
      absl::MutexLock lock(&mu_);
      ++started_;
      mu_.Await(absl::Condition(&released_));
      return result_;
    };
  }
  void Release(absl::Status result = absl::OkStatus()) {
    absl::MutexLock lock(&mu_);
    result_ = std::move(result);
    released_ = true;
  }
  void AwaitSyncs(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return started_ >= n; };
    mu_.Await(absl::Condition(&reached));
  }

 private:
  absl::Mutex mu_;
  int started_ ABSL_GUARDED_BY(mu_) = 0;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status result_ ABSL_GUARDED_BY(mu_);
};

struct Store {
  explicit Store(StallingDisk& disk) {
    auto opened = SqliteDatabase::Open(dir.File("p.db"));
    EXPECT_TRUE(opened.ok()) << opened.status();
    db = std::move(*opened);
    EXPECT_TRUE(db->Migrate("items", {"CREATE TABLE items (name TEXT PRIMARY KEY)"}).ok());
    sqlite().SetWalSyncForTesting(disk.Sync());
  }
  SqliteDatabase& sqlite() { return static_cast<SqliteDatabase&>(*db); }
  // Until `n` callers wait for an fsync, or `answered` (which should still be waiting) is.
  void AwaitWaitingForSync(int n, const absl::Notification& answered) {
    while (sqlite().waiting_for_sync() < n && !answered.HasBeenNotified()) {
      std::this_thread::yield();
    }
  }

  testing::TempDir dir;
  std::unique_ptr<Database> db;
};

auto Insert(const char* name) {
  return
      [name](Session& s) { return s.Exec("INSERT INTO items (name) VALUES (?)", {name}).status(); };
}

absl::StatusOr<std::vector<std::string>> Names(Database& db) {
  std::vector<std::string> names;
  OMS_RETURN_IF_ERROR(db.Read([&](Session& s) {
    return s.ForEachRow("SELECT name FROM items ORDER BY name", {}, [&](const Rows& row) {
      names.push_back(row.Text(0));
      return absl::OkStatus();
    });
  }));
  return names;
}

TEST(SqlitePipelinedCommitTest, TheNextTransactionsRunWhileAGroupSyncs) {
  StallingDisk disk;
  Store store(disk);
  absl::Notification first_answered;
  std::thread first([&] {
    EXPECT_TRUE(store.db->Transact(Insert("a")).ok());
    first_answered.Notify();
  });
  disk.AwaitSyncs(1);  // "a" is committed and its fsync stalls
  // The connection is free: a replayable write commits and is answered meanwhile.
  EXPECT_TRUE(store.db->Transact(Insert("b"), Durability::kReplayable).ok());
  // A durable one commits too, then waits for an fsync that covers it.
  absl::Notification third_answered;
  std::thread third([&] {
    EXPECT_TRUE(store.db->Transact(Insert("c")).ok());
    third_answered.Notify();
  });
  store.AwaitWaitingForSync(1, third_answered);
  EXPECT_FALSE(third_answered.HasBeenNotified());
  EXPECT_FALSE(first_answered.HasBeenNotified());
  disk.Release();
  first.join();
  third.join();
  EXPECT_EQ(store.sqlite().wal_syncs(), 2);  // "a" (and "b"), then "c"
  EXPECT_EQ(*Names(*store.db), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(SqlitePipelinedCommitTest, NoReaderOrListenerLearnsOfAWriteBeforeItIsOnDisk) {
  StallingDisk disk;
  Store store(disk);
  std::atomic<int> told{0};
  store.db->AddCommitListener([&] { told.fetch_add(1); });
  std::thread writer([&] { EXPECT_TRUE(store.db->Transact(Insert("a")).ok()); });
  disk.AwaitSyncs(1);
  absl::Notification read_answered;
  absl::StatusOr<std::vector<std::string>> read;
  std::thread reader([&] {
    read = Names(*store.db);
    read_answered.Notify();
  });
  store.AwaitWaitingForSync(1, read_answered);  // the reader has read "a", waits for its fsync
  EXPECT_FALSE(read_answered.HasBeenNotified());
  EXPECT_EQ(told.load(), 0);
  disk.Release();
  writer.join();
  reader.join();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, std::vector<std::string>{"a"});
  EXPECT_EQ(told.load(), 1);
}

TEST(SqlitePipelinedCommitTest, AFailedFsyncFailsItsWritersAndEveryLaterRead) {
  StallingDisk disk;
  Store store(disk);
  std::vector<absl::Status> told;
  store.db->SetFaultListener([&told](const absl::Status& fault) { told.push_back(fault); });
  EXPECT_TRUE(store.db->fault().ok());
  disk.Release(absl::InternalError("fdatasync: Input/output error"));
  absl::Status written = store.db->Transact(Insert("a"));
  EXPECT_EQ(written.code(), absl::StatusCode::kInternal);
  EXPECT_NE(written.message().find("Input/output error"), std::string::npos) << written;
  // What it committed is in the store but may not be on disk: nobody may read it.
  EXPECT_EQ(Names(*store.db).status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(store.db->Transact(Insert("b")).code(), absl::StatusCode::kInternal);
  // The store's fault, told once however many calls failed on it (health goes NOT_SERVING).
  EXPECT_EQ(store.db->fault(), written);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], written);
}

TEST(SqlitePipelinedCommitTest, ARefusedWriteIsAnsweredOnlyOnceWhatItSawIsOnDisk) {
  StallingDisk disk;
  Store store(disk);
  std::thread writer([&] { EXPECT_TRUE(store.db->Transact(Insert("a")).ok()); });
  disk.AwaitSyncs(1);
  absl::Notification refused;
  absl::Status duplicate;
  std::thread again([&] {
    duplicate = store.db->Transact(Insert("a"));  // refused because of the stalled "a"
    refused.Notify();
  });
  store.AwaitWaitingForSync(1, refused);
  EXPECT_FALSE(refused.HasBeenNotified());
  disk.Release();
  writer.join();
  again.join();
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace oms
