// What only the SQLite engine does: WAL, foreign keys, background checkpoints, commit
// listeners called in the committing thread.
#include "platform/storage/sqlite.h"

#include <sys/stat.h>

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

const std::vector<Migration> kMigrations = {
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER)",
    "ALTER TABLE items ADD COLUMN note TEXT",
};

std::unique_ptr<Database> OpenMigrated(const std::string& path) {
  auto db = SqliteDatabase::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE((*db)->Migrate("items", kMigrations).ok());
  return std::move(*db);
}

int64_t CountItems(Database& db) {
  int64_t count = -1;
  EXPECT_TRUE(db.Read([&](Session& s) -> absl::Status {
                  OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT COUNT(*) FROM items"));
                  OMS_ASSIGN_OR_RETURN(bool row, rows.Next());
                  if (row) count = rows.Int(0);
                  return absl::OkStatus();
                }).ok());
  return count;
}

TEST(SqliteDatabaseTest, UsesWalAndForeignKeys) {
  testing::TempDir dir;
  auto db = OpenMigrated(dir.File("a.db"));
  std::string mode;
  int64_t fk = 0;
  ASSERT_TRUE(db->Read([&](Session& s) -> absl::Status {
                  OMS_ASSIGN_OR_RETURN(Rows m, s.Query("PRAGMA journal_mode"));
                  OMS_ASSIGN_OR_RETURN(bool row, m.Next());
                  if (row) mode = m.Text(0);
                  OMS_ASSIGN_OR_RETURN(Rows f, s.Query("PRAGMA foreign_keys"));
                  OMS_ASSIGN_OR_RETURN(row, f.Next());
                  if (row) fk = f.Int(0);
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(fk, 1);
}

int64_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

TEST(SqliteDatabaseTest, BackgroundCheckpointsMoveTheWalIntoTheStore) {
  testing::TempDir dir;
  std::string path = dir.File("a.db");
  DatabaseOptions options;
  options.checkpoint_pages = 16;
  {
    auto db = SqliteDatabase::Open(path, options);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("items", kMigrations).ok());
    int64_t store_before = FileSize(path);
    // One commit of ~30 pages: past the thread's 16, short of the 128 that would make the
    // committing thread checkpoint inline, so only the background thread can copy them.
    std::string name(500, 'x');
    ASSERT_TRUE((*db)
                    ->Transact([&](Session& s) -> absl::Status {
                      for (int i = 0; i < 100; ++i) {
                        OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO items(name, qty) VALUES(?, ?)",
                                                   {absl::StrCat(i, name), i})
                                                .status());
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    // The thread copies pages back on its own: wait for it (bounded), not for a time.
    absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (FileSize(path) <= store_before + 64 * 1024 && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    EXPECT_GT(FileSize(path), store_before + 64 * 1024);
    EXPECT_EQ(CountItems(**db), 100);
  }
  auto reopened = OpenMigrated(path);
  EXPECT_EQ(CountItems(*reopened), 100);
}

TEST(SqliteDatabaseTest, CommitListenersRunOnlyAfterCommit) {
  auto db = OpenMigrated(":memory:");
  int calls = 0;
  db->AddCommitListener([&] { ++calls; });
  EXPECT_TRUE(db->Transact([](Session&) { return absl::OkStatus(); }).ok());
  EXPECT_FALSE(db->Transact([](Session&) { return absl::AbortedError("no"); }).ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace oms
