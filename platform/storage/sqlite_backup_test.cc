#include "platform/storage/sqlite_backup.h"

#include <fstream>

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

TEST(SqliteBackupTest, MissingSourceAndCorruptFilesAreReported) {
  testing::TempDir dir;
  EXPECT_FALSE(BackupDatabase(dir.path() + "/absent.db", dir.path() + "/copy.db").ok());
  std::ofstream(dir.path() + "/junk.db") << std::string(8192, 'x');
  EXPECT_FALSE(CheckDatabase(dir.path() + "/junk.db").ok());
}

}  // namespace
}  // namespace oms
