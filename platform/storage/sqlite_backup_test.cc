#include "platform/storage/sqlite_backup.h"

#include <atomic>
#include <fstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

int64_t CountRows(Database& db) {
  int64_t n = -1;
  EXPECT_TRUE(db.Read([&](Session& s) {
                  return s.ForEachRow("SELECT COUNT(*) FROM t", {}, [&](const Rows& r) {
                    n = r.Int(0);
                    return absl::OkStatus();
                  });
                }).ok());
  return n;
}

TEST(SqliteBackupTest, CopiesAConsistentSnapshotOfAnOpenStore) {
  testing::TempDir dir;
  auto db = *SqliteDatabase::Open(dir.path() + "/live.db", {});
  ASSERT_TRUE(
      db->Transact([](Session& s) { return s.ExecScript("CREATE TABLE t (x INTEGER)"); }).ok());
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(db->Transact([&](Session& s) {
                    return s.Exec("INSERT INTO t(x) VALUES(?)", {int64_t{i}}).status();
                  }).ok());
  }
  // The live store stays open (its newest pages sit in the -wal file) while it is copied.
  ASSERT_TRUE(BackupDatabase(dir.path() + "/live.db", dir.path() + "/copy.db").ok());
  ASSERT_TRUE(db->Transact([&](Session& s) {
                  return s.Exec("INSERT INTO t(x) VALUES(100)", {}).status();
                }).ok());
  EXPECT_TRUE(CheckDatabase(dir.path() + "/copy.db").ok());
  auto copy = *SqliteDatabase::Open(dir.path() + "/copy.db", {});
  EXPECT_EQ(CountRows(*copy), 100);
  EXPECT_EQ(CountRows(*db), 101);
}

// Two stores written one after the other (every row goes to `first`, then to `second`, as an
// event is applied after its source committed it): copies at one cut never show `second`
// ahead of `first`, nor `first` more than the one step ahead the writer may be.
TEST(SqliteBackupTest, StoresCopiedAtOneCutAgreeWithEachOtherUnderWrites) {
  testing::TempDir dir;
  const std::string first = dir.path() + "/first.db", second = dir.path() + "/second.db";
  auto a = *SqliteDatabase::Open(first, {});
  auto b = *SqliteDatabase::Open(second, {});
  for (Database* db : {a.get(), b.get()}) {
    ASSERT_TRUE(
        db->Transact([](Session& s) { return s.ExecScript("CREATE TABLE t (x INTEGER)"); }).ok());
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int64_t i = 0; !stop; ++i) {
      for (Database* db : {a.get(), b.get()}) {
        db->Transact([&](Session& s) {
            return s.Exec("INSERT INTO t(x) VALUES(?)", {i}).status();
          }).IgnoreError();
      }
    }
  });
  for (int round = 0; round < 20; ++round) {
    const std::string to = dir.path() + "/copy" + std::to_string(round);
    ASSERT_TRUE(
        BackupDatabasesAtOneCut({first, second}, {to + "-first.db", to + "-second.db"}).ok());
    auto copy_a = *SqliteDatabase::Open(to + "-first.db", {});
    auto copy_b = *SqliteDatabase::Open(to + "-second.db", {});
    int64_t in_a = CountRows(*copy_a), in_b = CountRows(*copy_b);
    EXPECT_GE(in_a, in_b) << "round " << round;
    EXPECT_LE(in_a, in_b + 1) << "round " << round;
  }
  stop = true;
  writer.join();
  EXPECT_GT(CountRows(*b), 0);
}

TEST(SqliteBackupTest, MissingSourceAndCorruptFilesAreReported) {
  testing::TempDir dir;
  EXPECT_FALSE(BackupDatabase(dir.path() + "/absent.db", dir.path() + "/copy.db").ok());
  std::ofstream(dir.path() + "/junk.db") << std::string(8192, 'x');
  EXPECT_FALSE(CheckDatabase(dir.path() + "/junk.db").ok());
}

}  // namespace
}  // namespace oms
