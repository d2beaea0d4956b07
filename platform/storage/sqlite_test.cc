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

const std::vector<std::string> kMigrations = {
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER)",
    "ALTER TABLE items ADD COLUMN note TEXT",
};

std::unique_ptr<Database> OpenMigrated(const std::string& path) {
  auto db = Database::Open(path);
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

TEST(DatabaseTest, UsesWalAndForeignKeys) {
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

TEST(DatabaseTest, BackgroundCheckpointsMoveTheWalIntoTheStore) {
  testing::TempDir dir;
  std::string path = dir.File("a.db");
  DatabaseOptions options;
  options.checkpoint_pages = 16;
  {
    auto db = Database::Open(path, options);
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

TEST(DatabaseTest, MigrationsRunOnceAndAreRecorded) {
  testing::TempDir dir;
  {
    auto db = OpenMigrated(dir.File("a.db"));
    EXPECT_EQ((*db->SchemaVersions())["items"], 2);
  }
  auto db = OpenMigrated(dir.File("a.db"));  // reopening applies nothing twice
  EXPECT_EQ((*db->SchemaVersions())["items"], 2);
}

TEST(DatabaseTest, StoreNewerThanBinaryIsRefused) {
  testing::TempDir dir;
  OpenMigrated(dir.File("a.db"));
  auto db = Database::Open(dir.File("a.db"));
  ASSERT_TRUE(db.ok());
  absl::Status status = (*db)->Migrate("items", {kMigrations[0]});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST(DatabaseTest, FailedMigrationNamesItselfAndKeepsVersion) {
  auto db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  absl::Status status = (*db)->Migrate("bad", {"CREATE TABLE t (x)", "NOT SQL"});
  EXPECT_NE(status.message().find("migration bad #2"), std::string::npos) << status;
  EXPECT_EQ((*(*db)->SchemaVersions())["bad"], 1);
}

TEST(DatabaseTest, ErrorInTransactionRollsBackEverything) {
  auto db = OpenMigrated(":memory:");
  absl::Status status = db->Transact([](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO items(name, qty) VALUES(?, ?)", {"a", 1}).status());
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CountItems(*db), 0);
}

TEST(DatabaseTest, TransactionRollsBackWhenItGoesOutOfScope) {
  auto db = OpenMigrated(":memory:");
  {
    absl::StatusOr<Transaction> tx = db->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(tx->session().Exec("INSERT INTO items(name, qty) VALUES('a', 1)").ok());
  }  // no Commit()
  EXPECT_EQ(CountItems(*db), 0);
  absl::StatusOr<Transaction> tx = db->Begin();
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx->session().Exec("INSERT INTO items(name, qty) VALUES('a', 1)").ok());
  EXPECT_TRUE(tx->Commit().ok());
  EXPECT_EQ(tx->Commit().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CountItems(*db), 1);
}

TEST(DatabaseTest, ReadTransactionSeesASnapshotAndKeepsNoWrites) {
  testing::TempDir dir;
  auto db = OpenMigrated(dir.File("a.db"));
  absl::StatusOr<Transaction> read = db->BeginRead();
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->session().Exec("INSERT INTO items(name, qty) VALUES('a', 1)").ok());
  EXPECT_TRUE(read->Commit().ok());
  EXPECT_EQ(CountItems(*db), 0);
}

TEST(DatabaseTest, UniqueViolationIsAlreadyExists) {
  auto db = OpenMigrated(":memory:");
  auto insert = [&] {
    return db->Transact([](Session& s) {
      return s.Exec("INSERT INTO items(name, qty) VALUES(?, ?)", {"a", 1}).status();
    });
  };
  EXPECT_TRUE(insert().ok());
  EXPECT_EQ(insert().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CountItems(*db), 1);
}

TEST(DatabaseTest, BindsAllTypesAndReadsThemBack) {
  auto db = OpenMigrated(":memory:");
  std::string blob("a\0b", 3);
  ASSERT_TRUE(db->Transact([&](Session& s) -> absl::Status {
                  OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO items(name, qty, note) VALUES(?, ?, ?)",
                                             {"名字", int64_t{1} << 40, SqlArg::Blob(blob)})
                                          .status());
                  return s
                      .Exec("INSERT INTO items(name, qty, note) VALUES(?, ?, ?)",
                            {"n", nullptr, nullptr})
                      .status();
                }).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(db->Read([&](Session& s) {
                  return s.ForEachRow("SELECT name, qty, note FROM items ORDER BY id", {},
                                      [&](const Rows& r) {
                                        seen.push_back(r.Text(0));
                                        if (r.IsNull(1)) {
                                          seen.push_back("null");
                                        } else {
                                          EXPECT_EQ(r.Int(1), int64_t{1} << 40);
                                          EXPECT_EQ(r.Blob(2), blob);
                                        }
                                        return absl::OkStatus();
                                      });
                }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"名字", "n", "null"}));
}

TEST(DatabaseTest, NestedUseOfTheSameStatementWorks) {
  auto db = OpenMigrated(":memory:");
  ASSERT_TRUE(db->Transact([](Session& s) -> absl::Status {
                  for (int i = 0; i < 3; ++i) {
                    OMS_RETURN_IF_ERROR(
                        s.Exec("INSERT INTO items(name, qty) VALUES(?, ?)", {std::to_string(i), i})
                            .status());
                  }
                  return absl::OkStatus();
                }).ok());
  int pairs = 0;
  ASSERT_TRUE(db->Read([&](Session& s) {
                  const char* sql = "SELECT qty FROM items";
                  return s.ForEachRow(sql, {}, [&](const Rows&) {
                    return s.ForEachRow(sql, {}, [&](const Rows&) {
                      ++pairs;
                      return absl::OkStatus();
                    });
                  });
                }).ok());
  EXPECT_EQ(pairs, 9);
}

TEST(DatabaseTest, ConcurrentWritersAreSerialisedWithoutLoss) {
  testing::TempDir dir;
  auto db = OpenMigrated(dir.File("a.db"));
  ASSERT_TRUE(db->Transact([](Session& s) {
                  return s.Exec("INSERT INTO items(name, qty) VALUES('counter', 0)").status();
                }).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(
            db->Transact([](Session& s) {
                return s.Exec("UPDATE items SET qty = qty + 1 WHERE name = 'counter'").status();
              }).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  int64_t qty = 0;
  ASSERT_TRUE(db->Read([&](Session& s) {
                  return s.ForEachRow("SELECT qty FROM items", {}, [&](const Rows& r) {
                    qty = r.Int(0);
                    return absl::OkStatus();
                  });
                }).ok());
  EXPECT_EQ(qty, 400);
}

TEST(DatabaseTest, CommitListenersRunOnlyAfterCommit) {
  auto db = OpenMigrated(":memory:");
  int calls = 0;
  db->AddCommitListener([&] { ++calls; });
  EXPECT_TRUE(db->Transact([](Session&) { return absl::OkStatus(); }).ok());
  EXPECT_FALSE(db->Transact([](Session&) { return absl::AbortedError("no"); }).ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace oms
