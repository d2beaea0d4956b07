// What the store interface promises, checked on both engines.
#include "platform/storage/database.h"

#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/open_database.h"
#include "platform/testing/store_test.h"
#include "platform/testing/temp_dir.h"

namespace oms {
namespace {

const std::vector<Migration> kMigrations = {
    "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER)",
    "ALTER TABLE items ADD COLUMN note BLOB",
};

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

class DatabaseTest : public testing::StoreTest {
 protected:
  std::unique_ptr<Database> Migrated() {
    std::unique_ptr<Database> db = NewStore();
    if (db == nullptr) return nullptr;
    EXPECT_TRUE(db->Migrate("items", kMigrations).ok());
    return db;
  }
};

TEST_P(DatabaseTest, MigrationsRunOnceAndAreRecorded) {
  testing::TempDir dir;
  std::string target = NewTarget(dir.File("a.db"));
  for (int open = 0; open < 2; ++open) {  // reopening applies nothing twice
    auto db = OpenDatabase(target);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Migrate("items", kMigrations).ok());
    EXPECT_EQ((*(*db)->SchemaVersions())["items"], 2);
  }
}

TEST_P(DatabaseTest, StoreNewerThanBinaryIsRefused) {
  testing::TempDir dir;
  std::string target = NewTarget(dir.File("a.db"));
  ASSERT_TRUE((*OpenDatabase(target))->Migrate("items", kMigrations).ok());
  auto db = OpenDatabase(target);
  ASSERT_TRUE(db.ok());
  absl::Status status = (*db)->Migrate("items", {kMigrations[0]});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(DatabaseTest, FailedMigrationNamesItselfAndKeepsVersion) {
  auto db = NewStore();
  ASSERT_NE(db, nullptr);
  absl::Status status = db->Migrate("bad", {"CREATE TABLE t (x INTEGER)", "NOT SQL"});
  EXPECT_NE(status.message().find("migration bad #2"), std::string::npos) << status;
  EXPECT_EQ((*db->SchemaVersions())["bad"], 1);
}

TEST_P(DatabaseTest, ErrorInTransactionRollsBackEverything) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  absl::Status status = db->Transact([](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(
        s.Exec("INSERT INTO items(id, name, qty) VALUES(?, ?, ?)", {1, "a", 1}).status());
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CountItems(*db), 0);
}

TEST_P(DatabaseTest, ReadTransactionKeepsNoWrites) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  // SQLite runs the insert and drops it; PostgreSQL refuses it. Either way nothing stays.
  db->Read([](Session& s) {
      return s.Exec("INSERT INTO items(id, name, qty) VALUES(1, 'a', 1)").status();
    }).IgnoreError();
  EXPECT_EQ(CountItems(*db), 0);
}

// What a feed consumer asks before it commits a cursor alone (feed_consumer.h).
TEST_P(DatabaseTest, HasChangesTellsWhetherTheTransactionChangedARow) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  std::vector<bool> seen;
  ASSERT_TRUE(db->Transact([&](Session& s) -> absl::Status {
                  seen.clear();
                  seen.push_back(s.HasChanges());
                  OMS_RETURN_IF_ERROR(s.Query("SELECT COUNT(*) FROM items").status());
                  OMS_RETURN_IF_ERROR(s.Exec("UPDATE items SET qty = 2 WHERE id = 7").status());
                  seen.push_back(s.HasChanges());  // a statement that matched no row
                  {  // counted once the statement is done (its Rows gone)
                    OMS_ASSIGN_OR_RETURN(
                        Rows inserted,
                        s.Query("INSERT INTO items(id, name, qty) VALUES(1, 'a', 1) RETURNING id"));
                    OMS_RETURN_IF_ERROR(inserted.Next().status());
                  }
                  seen.push_back(s.HasChanges());
                  return absl::OkStatus();
                }).ok());
  EXPECT_EQ(seen, (std::vector<bool>{false, false, true}));
  // The next transaction counts from its own start.
  bool changed = true;
  ASSERT_TRUE(db->Transact([&](Session& s) {
                  changed = s.HasChanges();
                  return absl::OkStatus();
                }).ok());
  EXPECT_FALSE(changed);
}

TEST_P(DatabaseTest, UniqueViolationIsAlreadyExists) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  int id = 0;
  auto insert = [&] {
    return db->Transact([&](Session& s) {
      return s.Exec("INSERT INTO items(id, name, qty) VALUES(?, ?, ?)", {++id, "a", 1}).status();
    });
  };
  EXPECT_TRUE(insert().ok());
  EXPECT_EQ(insert().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CountItems(*db), 1);
}

TEST_P(DatabaseTest, BindsAllTypesAndReadsThemBack) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  std::string blob("a\0b\xff", 4);
  ASSERT_TRUE(db->Transact([&](Session& s) -> absl::Status {
                  OMS_RETURN_IF_ERROR(
                      s.Exec("INSERT INTO items(id, name, qty, note) VALUES(?, ?, ?, ?)",
                             {1, "名字", int64_t{1} << 40, SqlArg::Blob(blob)})
                          .status());
                  return s
                      .Exec("INSERT INTO items(id, name, qty, note) VALUES(?, ?, ?, ?)",
                            {2, "n", nullptr, nullptr})
                      .status();
                }).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(db->Read([&](Session& s) {
                  seen.clear();
                  return s.ForEachRow("SELECT name, qty, note, qty > 0 FROM items ORDER BY id", {},
                                      [&](const Rows& r) {
                                        seen.push_back(r.Text(0));
                                        if (r.IsNull(1)) {
                                          seen.push_back("null");
                                        } else {
                                          EXPECT_EQ(r.Int(1), int64_t{1} << 40);
                                          EXPECT_EQ(r.Blob(2), blob);
                                          EXPECT_EQ(r.Int(3), 1);  // a boolean reads as 1
                                        }
                                        return absl::OkStatus();
                                      });
                }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"名字", "n", "null"}));
}

TEST_P(DatabaseTest, NestedUseOfTheSameStatementWorks) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Transact([](Session& s) -> absl::Status {
                  for (int i = 0; i < 3; ++i) {
                    OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO items(id, name, qty) VALUES(?, ?, ?)",
                                               {i, std::to_string(i), i})
                                            .status());
                  }
                  return absl::OkStatus();
                }).ok());
  int pairs = 0;
  ASSERT_TRUE(db->Read([&](Session& s) {
                  pairs = 0;
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

// An upsert both engines run: the second time it adds to the row the first one made.
constexpr char kAddFive[] =
    "INSERT INTO items(id, name, qty) VALUES(2, 'b', 5) ON CONFLICT(id) "
    "DO UPDATE SET qty = items.qty + excluded.qty";

TEST_P(DatabaseTest, InsertOrIgnoreAndUpsertBehaveAlike) {
  auto db = Migrated();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(
      db->Transact([](Session& s) -> absl::Status {
          for (int i = 0; i < 2; ++i) {
            OMS_RETURN_IF_ERROR(
                s.Exec("INSERT OR IGNORE INTO items(id, name, qty) VALUES(1, 'a', ?)", {10 + i})
                    .status());
          }
          return s.Exec(kAddFive).status();
        }).ok());
  ASSERT_TRUE(db->Transact([](Session& s) { return s.Exec(kAddFive).status(); }).ok());
  std::vector<int64_t> qty;
  ASSERT_TRUE(db->Read([&](Session& s) {
                  qty.clear();
                  return s.ForEachRow("SELECT qty FROM items ORDER BY id", {}, [&](const Rows& r) {
                    qty.push_back(r.Int(0));
                    return absl::OkStatus();
                  });
                }).ok());
  EXPECT_EQ(qty, (std::vector<int64_t>{10, 10}));
}

TEST_P(DatabaseTest, AutoincrementKeysComeBackThroughReturning) {
  auto db = NewStore();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Migrate("log", {"CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                                  "what TEXT NOT NULL)"})
                  .ok());
  std::vector<int64_t> seqs;
  for (const char* what : {"a", "b"}) {
    ASSERT_TRUE(db->Transact([&](Session& s) -> absl::Status {
                    OMS_ASSIGN_OR_RETURN(
                        Rows rows,
                        s.Query("INSERT INTO log(what) VALUES(?) RETURNING seq", {what}));
                    OMS_ASSIGN_OR_RETURN(bool row, rows.Next());
                    if (row) seqs.push_back(rows.Int(0));
                    return absl::OkStatus();
                  }).ok());
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2}));
}

TEST_P(DatabaseTest, ConcurrentWritersLoseNothing) {
  testing::TempDir dir;
  std::string target = NewTarget(dir.File("a.db"));
  auto db = OpenDatabase(target);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Migrate("items", kMigrations).ok());
  ASSERT_TRUE(
      (*db)
          ->Transact([](Session& s) {
            return s.Exec("INSERT INTO items(id, name, qty) VALUES(1, 'counter', 0)").status();
          })
          .ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        // Read, then write what was read: a lost update unless writers are serialised.
        absl::Status status = (*db)->Transact([](Session& s) -> absl::Status {
          OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT qty FROM items WHERE id = 1"));
          OMS_ASSIGN_OR_RETURN(bool row, rows.Next());
          if (!row) return absl::NotFoundError("counter");
          return s.Exec("UPDATE items SET qty = ? WHERE id = 1", {rows.Int(0) + 1}).status();
        });
        EXPECT_TRUE(status.ok()) << status;
      }
    });
  }
  for (auto& t : threads) t.join();
  int64_t qty = 0;
  ASSERT_TRUE((*db)
                  ->Read([&](Session& s) {
                    return s.ForEachRow("SELECT qty FROM items", {}, [&](const Rows& r) {
                      qty = r.Int(0);
                      return absl::OkStatus();
                    });
                  })
                  .ok());
  EXPECT_EQ(qty, 200);
}

OMS_ON_EVERY_ENGINE(DatabaseTest);

}  // namespace
}  // namespace oms
