// Group commit on SQLite: write transactions that queue for the connection share one COMMIT,
// each keeps its own outcome (a failed one leaves no trace, the others are kept), the
// before-commit hook runs once per transaction, and stores are durable (the WAL fsynced
// before an answer) unless asked otherwise; a group of replayable transactions waits for no
// fsync. How the fsync runs after the connection is released: sqlite_pipelined_commit_test.
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

std::unique_ptr<Database> OpenStore(const std::string& path, DatabaseOptions options = {}) {
  auto db = SqliteDatabase::Open(path, options);
  EXPECT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE((*db)
                  ->Migrate("items", {"CREATE TABLE items (name TEXT PRIMARY KEY)",
                                      "CREATE TABLE hooked (name TEXT)"})
                  .ok());
  return std::move(*db);
}

SqliteDatabase& Sqlite(Database& db) { return static_cast<SqliteDatabase&>(db); }

absl::Status Insert(Session& s, const std::string& name) {
  return s.Exec("INSERT INTO items (name) VALUES (?)", {name}).status();
}

std::vector<std::string> Names(Database& db, const char* table = "items") {
  std::vector<std::string> names;
  EXPECT_TRUE(db.Read([&](Session& s) {
                  return s.ForEachRow(absl::StrCat("SELECT name FROM ", table, " ORDER BY name"),
                                      {}, [&](const Rows& row) {
                                        names.push_back(row.Text(0));
                                        return absl::OkStatus();
                                      });
                }).ok());
  return names;
}

// Holds the connection inside a write transaction until `second` has queued behind it, so
// the two transactions are one group whatever the scheduler does.
absl::Status WriteWhileAnotherQueues(Database& db, std::thread& second,
                                     std::function<void()> start_second,
                                     Durability durability = Durability::kDurable) {
  return db.Transact(
      [&](Session& s) -> absl::Status {
        OMS_RETURN_IF_ERROR(Insert(s, "first"));
        second = std::thread(start_second);
        while (Sqlite(db).writers_waiting() == 0) std::this_thread::yield();
        return absl::OkStatus();
      },
      durability);
}

TEST(SqliteGroupCommitTest, TransactionsQueuedBehindAnotherShareItsCommit) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  int64_t groups_before = Sqlite(*db).commit_groups();
  std::thread second;
  absl::Status second_status;
  absl::Status first_status = WriteWhileAnotherQueues(*db, second, [&] {
    second_status = db->Transact([](Session& s) { return Insert(s, "second"); });
  });
  second.join();
  EXPECT_TRUE(first_status.ok()) << first_status;
  EXPECT_TRUE(second_status.ok()) << second_status;
  EXPECT_EQ(Names(*db), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(Sqlite(*db).commit_groups() - groups_before, 1);
  EXPECT_EQ(db->commits() >= 2, true);
}

TEST(SqliteGroupCommitTest, AFailedMemberLeavesNoTraceAndTheOthersAreKept) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  std::thread second;
  absl::Status second_status;
  absl::Status first_status = WriteWhileAnotherQueues(*db, second, [&] {
    second_status = db->Transact([](Session& s) -> absl::Status {
      OMS_RETURN_IF_ERROR(Insert(s, "second"));
      return absl::FailedPreconditionError("changed its mind");
    });
  });
  second.join();
  EXPECT_TRUE(first_status.ok()) << first_status;
  EXPECT_EQ(second_status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Names(*db), (std::vector<std::string>{"first"}));
}

TEST(SqliteGroupCommitTest, AConstraintViolationRollsBackOnlyItsOwnTransaction) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  std::thread second;
  absl::Status second_status;
  absl::Status first_status = WriteWhileAnotherQueues(*db, second, [&] {
    second_status = db->Transact([](Session& s) -> absl::Status {
      OMS_RETURN_IF_ERROR(Insert(s, "third"));
      return Insert(s, "first");  // the first member's row: UNIQUE fails
    });
  });
  second.join();
  EXPECT_TRUE(first_status.ok()) << first_status;
  EXPECT_EQ(second_status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Names(*db), (std::vector<std::string>{"first"}));
}

TEST(SqliteGroupCommitTest, ManyConcurrentWritersKeepEveryOutcomeAndHookPerTransaction) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  // The audit log's place: one row per transaction that changed something, in it.
  db->SetBeforeCommit([](Session& s) {
    return s.Exec("INSERT INTO hooked (name) SELECT MAX(name) FROM items").status();
  });
  constexpr int kThreads = 8, kEach = 60;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::Status status = db->Transact([&](Session& s) -> absl::Status {
          OMS_RETURN_IF_ERROR(Insert(s, absl::StrCat("t", t, "-", 100 + i)));
          if (i % 3 == 0) return absl::AbortedError("every third one fails");
          return absl::OkStatus();
        });
        EXPECT_EQ(status.ok(), i % 3 != 0) << status;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> names = Names(*db);
  EXPECT_EQ(names.size(), static_cast<size_t>(kThreads * kEach * 2 / 3));
  for (const std::string& name : names) {
    int i = std::stoi(name.substr(name.find('-') + 1)) - 100;
    EXPECT_NE(i % 3, 0) << name;
  }
  EXPECT_EQ(Names(*db, "hooked").size(), names.size());
  EXPECT_LE(Sqlite(*db).commit_groups(), static_cast<int64_t>(names.size()) + 2);
}

// A second writer for WriteWhileAnotherQueues: inserts "second" as a `durability`
// transaction.
std::function<void()> SecondInserting(Database& db, Durability durability) {
  return [&db, durability] {
    EXPECT_TRUE(db.Transact([](Session& s) { return Insert(s, "second"); }, durability).ok());
  };
}

int64_t Pragma(Database& db, const char* name) {
  int64_t level = -1;
  EXPECT_TRUE(db.Read([&](Session& s) -> absl::Status {
                  OMS_ASSIGN_OR_RETURN(Rows rows, s.Query(absl::StrCat("PRAGMA ", name)));
                  OMS_ASSIGN_OR_RETURN(bool row, rows.Next());
                  if (row) level = rows.Int(0);
                  return absl::OkStatus();
                }).ok());
  return level;
}

TEST(SqliteGroupCommitTest, StoresAreDurableAgainstPowerLossUnlessAskedOtherwise) {
  testing::TempDir dir;
  auto durable = OpenStore(dir.File("durable.db"));
  int64_t syncs_before = Sqlite(*durable).wal_syncs();
  ASSERT_TRUE(durable->Transact([](Session& s) { return Insert(s, "a"); }).ok());
  EXPECT_EQ(Sqlite(*durable).wal_syncs() - syncs_before, 1);  // fsynced before the answer
  DatabaseOptions normal;
  normal.durable_commits = false;
  auto fast = OpenStore(dir.File("normal.db"), normal);
  ASSERT_TRUE(fast->Transact([](Session& s) { return Insert(s, "a"); }).ok());
  EXPECT_EQ(Sqlite(*fast).wal_syncs(), 0);
  // Both COMMIT with synchronous=NORMAL; the durable store's fsync comes after (wal_sync.h).
  EXPECT_EQ(Pragma(*durable, "synchronous"), 1);
  EXPECT_EQ(Pragma(*fast, "synchronous"), 1);
  // Savepoint journals in memory: no temp file made and removed per write transaction.
  EXPECT_EQ(Pragma(*durable, "temp_store"), 2);
}

TEST(SqliteGroupCommitTest, ReplayableTransactionsCommitWithoutAnFsyncDurableOnesWithOne) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  int64_t syncs_before = Sqlite(*db).wal_syncs();
  auto synced = [&] { return Sqlite(*db).wal_syncs() - syncs_before; };
  auto insert = [](const char* name) { return [name](Session& s) { return Insert(s, name); }; };
  ASSERT_TRUE(db->Transact(insert("1"), Durability::kReplayable).ok());
  EXPECT_EQ(synced(), 0);
  ASSERT_TRUE(db->Transact(insert("2")).ok());
  EXPECT_EQ(synced(), 1);
  ASSERT_TRUE(db->Transact(insert("3"), Durability::kReplayable).ok());
  EXPECT_EQ(synced(), 1);
  // A read waits for nothing when what it sees is on disk, or needs not be.
  EXPECT_EQ(Names(*db), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(synced(), 1);
}

TEST(SqliteGroupCommitTest, ADurableWriterJoiningAReplayableGroupMakesItWaitForTheFsync) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  int64_t groups_before = Sqlite(*db).commit_groups();
  int64_t syncs_before = Sqlite(*db).wal_syncs();
  std::thread second;
  absl::Status first_status = WriteWhileAnotherQueues(
      *db, second, SecondInserting(*db, Durability::kDurable), Durability::kReplayable);
  second.join();
  EXPECT_TRUE(first_status.ok()) << first_status;
  EXPECT_EQ(Sqlite(*db).commit_groups() - groups_before, 1);
  EXPECT_EQ(Sqlite(*db).wal_syncs() - syncs_before, 1);
  EXPECT_EQ(Names(*db), (std::vector<std::string>{"first", "second"}));
}

TEST(SqliteGroupCommitTest, AReplayableWriterMayRideOnADurableGroup) {
  testing::TempDir dir;
  auto db = OpenStore(dir.File("g.db"));
  int64_t groups_before = Sqlite(*db).commit_groups();
  int64_t syncs_before = Sqlite(*db).wal_syncs();
  std::thread second;
  absl::Status first_status =
      WriteWhileAnotherQueues(*db, second, SecondInserting(*db, Durability::kReplayable));
  second.join();
  EXPECT_TRUE(first_status.ok()) << first_status;
  EXPECT_EQ(Sqlite(*db).commit_groups() - groups_before, 1);  // one COMMIT, one fsync
  EXPECT_EQ(Sqlite(*db).wal_syncs() - syncs_before, 1);
}

}  // namespace
}  // namespace oms
