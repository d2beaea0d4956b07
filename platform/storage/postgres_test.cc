// What only the PostgreSQL engine does: conflicting writers retried, commits seen by other
// replicas, migrations from replicas starting together, a server that goes away and comes
// back.
#include "platform/storage/postgres.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/testing/postgres_server.h"

namespace oms {
namespace {

absl::StatusOr<int64_t> Counter(Session& s) {
  OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT n FROM counter WHERE id = 1"));
  OMS_ASSIGN_OR_RETURN(bool row, rows.Next());
  if (!row) return absl::NotFoundError("counter");
  return rows.Int(0);
}

// The counter as a read of `db` sees it; -1 when the read fails.
int64_t ReadCounter(Database& db) {
  int64_t n = -1;
  absl::Status read = db.Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(n, Counter(s));
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  return n;
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::PostgresServer*> server = testing::PostgresServer::Get();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *server;
    absl::StatusOr<std::string> target = server_->NewDatabase();
    ASSERT_TRUE(target.ok()) << target.status();
    target_ = *target;
  }

  std::unique_ptr<Database> Open(DatabaseOptions options = {}) {
    auto db = PostgresDatabase::Open(target_, options);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  testing::PostgresServer* server_ = nullptr;
  std::string target_;
};

const std::vector<Migration> kCounter = {
    "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    "INSERT INTO counter VALUES(1, 0);"};

// Runs a read-then-write of the counter in `db` that, between its read and its write, lets
// `other` commit a write of the same row: a conflict every time.
absl::Status ConflictOnce(Database& db, Database& other, int* runs) {
  return db.Transact([&](Session& s) -> absl::Status {
    ++*runs;
    OMS_ASSIGN_OR_RETURN(int64_t n, Counter(s));
    if (*runs == 1) {
      OMS_RETURN_IF_ERROR(other.Transact([](Session& o) {
        return o.Exec("UPDATE counter SET n = n + 100 WHERE id = 1").status();
      }));
    }
    return s.Exec("UPDATE counter SET n = ? WHERE id = 1", {n + 1}).status();
  });
}

// Writers that do not take turns (serialize_writes off), to reach SERIALIZABLE's own
// conflict handling, the safety net under the turns.
DatabaseOptions Overlapping() {
  DatabaseOptions options;
  options.serialize_writes = false;
  return options;
}

TEST_F(PostgresTest, AConflictingTransactionRunsAgainOnAFreshSnapshot) {
  auto db = Open(Overlapping());
  auto other = Open(Overlapping());
  ASSERT_TRUE(db->Migrate("counter", kCounter).ok());
  int runs = 0;
  ASSERT_TRUE(ConflictOnce(*db, *other, &runs).ok());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(static_cast<PostgresDatabase&>(*db).retries(), 1);
  EXPECT_EQ(ReadCounter(*db), 101);  // the retry read the other writer's 100
}

TEST_F(PostgresTest, ATransactionThatKeepsConflictingAnswersAborted) {
  DatabaseOptions once = Overlapping();
  once.max_attempts = 1;
  auto db = Open(once);
  auto other = Open(Overlapping());
  ASSERT_TRUE(db->Migrate("counter", kCounter).ok());
  int runs = 0;
  absl::Status status = ConflictOnce(*db, *other, &runs);
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted) << status;
  EXPECT_EQ(runs, 1);
}

TEST_F(PostgresTest, WritersOfTwoReplicasTakeTurnsAndNeverConflict) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a->Migrate("counter", kCounter).ok());
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (Database* db : {a.get(), b.get(), a.get(), b.get()}) {
    writers.emplace_back([db, &failures] {
      for (int i = 0; i < kPerThread; ++i) {
        // Read, then write what was read plus one: a lost update or a serialization
        // failure unless the writers take turns.
        absl::Status bumped = db->Transact([](Session& s) -> absl::Status {
          OMS_ASSIGN_OR_RETURN(int64_t n, Counter(s));
          return s.Exec("UPDATE counter SET n = ? WHERE id = 1", {n + 1}).status();
        });
        if (!bumped.ok()) ++failures;
      }
    });
  }
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(static_cast<PostgresDatabase&>(*a).retries(), 0);
  EXPECT_EQ(static_cast<PostgresDatabase&>(*b).retries(), 0);
  EXPECT_EQ(ReadCounter(*a), 4 * kPerThread);
}

TEST_F(PostgresTest, AStatementFailureTheCallerIgnoredCommitsNothing) {
  auto db = Open();
  ASSERT_TRUE(db->Migrate("counter", kCounter).ok());
  absl::Status status = db->Transact([](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(s.Exec("UPDATE counter SET n = 5 WHERE id = 1").status());
    s.Exec("INSERT INTO counter VALUES(1, 0)").status().IgnoreError();  // duplicate key
    return absl::OkStatus();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(ReadCounter(*db), 0);
}

TEST_F(PostgresTest, CommitsOfAnotherReplicaWakeListeners) {
  absl::Notification woken;  // before the stores: outlives the watcher's LISTEN thread
  std::atomic<bool> armed{false};
  auto writer = Open();
  auto watcher = Open();
  ASSERT_TRUE(writer->Migrate("counter", kCounter).ok());
  watcher->AddCommitListener([&] {
    if (armed && !woken.HasBeenNotified()) woken.Notify();
  });
  absl::SleepFor(absl::Milliseconds(300));  // let the watcher's LISTEN connection settle
  armed = true;
  ASSERT_TRUE(writer
                  ->Transact([](Session& s) {
                    return s.Exec("UPDATE counter SET n = n + 1 WHERE id = 1").status();
                  })
                  .ok());
  EXPECT_TRUE(woken.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST_F(PostgresTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  const std::vector<Migration> migrations = {
      "CREATE TABLE a (id INTEGER PRIMARY KEY)",
      "CREATE TABLE b (id INTEGER PRIMARY KEY); INSERT INTO a VALUES(1)",
  };
  std::vector<std::thread> replicas;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      auto db = PostgresDatabase::Open(target_);
      if (!db.ok() || !(*db)->Migrate("ab", migrations).ok()) ++failures;
    });
  }
  for (auto& replica : replicas) replica.join();
  EXPECT_EQ(failures, 0);
  auto db = Open();
  EXPECT_EQ((*db->SchemaVersions())["ab"], 2);
}

TEST_F(PostgresTest, AServerThatGoesAwayIsUnavailableUntilItIsBack) {
  if (std::getenv("OMS_TEST_POSTGRES") != nullptr) GTEST_SKIP() << "not our server to stop";
  auto db = Open();
  ASSERT_TRUE(db->Migrate("counter", kCounter).ok());
  auto bump = [&] {
    return db->Transact(
        [](Session& s) { return s.Exec("UPDATE counter SET n = n + 1 WHERE id = 1").status(); });
  };
  ASSERT_TRUE(bump().ok());
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(bump().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Start().ok());
  absl::Status after = bump();  // pooled connections the server dropped are replaced
  EXPECT_TRUE(after.ok()) << after;
  EXPECT_EQ(ReadCounter(*db), 2);
}

TEST_F(PostgresTest, AJobLeaseHasOneHolderAcrossReplicasUntilItLetsGo) {
  auto a = Open();
  auto b = Open();
  absl::StatusOr<std::unique_ptr<JobLease>> held = a->TryLease("delivery");
  ASSERT_TRUE(held.ok() && *held != nullptr) << held.status();
  absl::StatusOr<std::unique_ptr<JobLease>> refused = b->TryLease("delivery");
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(*refused, nullptr);
  // Advisory locks are re-entrant within a session: the engine refuses a second holder in
  // the same process itself.
  absl::StatusOr<std::unique_ptr<JobLease>> again = a->TryLease("delivery");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, nullptr);
  absl::StatusOr<std::unique_ptr<JobLease>> other = b->TryLease("workflows");
  ASSERT_TRUE(other.ok() && *other != nullptr);  // another job is free
  EXPECT_TRUE((*held)->held());

  held->reset();  // a lets go
  absl::StatusOr<std::unique_ptr<JobLease>> taken = b->TryLease("delivery");
  ASSERT_TRUE(taken.ok() && *taken != nullptr) << taken.status();

  // The same names in another store (another service's database) are other leases.
  absl::StatusOr<std::string> elsewhere = server_->NewDatabase();
  ASSERT_TRUE(elsewhere.ok());
  auto c = PostgresDatabase::Open(*elsewhere);
  ASSERT_TRUE(c.ok());
  absl::StatusOr<std::unique_ptr<JobLease>> separate = (*c)->TryLease("delivery");
  ASSERT_TRUE(separate.ok() && *separate != nullptr);
}

// PostgreSQL's per-transaction switch: a replayable transaction commits without waiting for
// its WAL to be flushed; every other one waits, and the setting ends with the transaction.
TEST_F(PostgresTest, AReplayableTransactionDoesNotWaitForTheWalFlush) {
  // The test server runs with synchronous_commit=off; this database gets a production's on,
  // for connections opened from now on.
  ASSERT_TRUE(Open()
                  ->Transact([](Session& s) {
                    return s.ExecNativeScript(
                        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = "
                        "on', current_database()); END $$");
                  })
                  .ok());
  auto db = Open();
  ASSERT_TRUE(db->Migrate("counter", kCounter).ok());
  auto setting_inside = [&](Durability durability) {
    std::string setting;
    Durability seen = Durability::kDurable;
    EXPECT_TRUE(db->Transact(
                      [&](Session& s) -> absl::Status {
                        OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SHOW synchronous_commit"));
                        OMS_ASSIGN_OR_RETURN(bool row, rows.Next());
                        if (row) setting = rows.Text(0);
                        seen = s.durability();
                        return s.Exec("UPDATE counter SET n = n + 1 WHERE id = 1").status();
                      },
                      durability)
                    .ok());
    EXPECT_EQ(seen, durability);
    return setting;
  };
  EXPECT_EQ(setting_inside(Durability::kReplayable), "off");
  EXPECT_EQ(setting_inside(Durability::kDurable), "on");
  EXPECT_EQ(setting_inside(Durability::kReplayable), "off");
  EXPECT_EQ(ReadCounter(*db), 3);
}

}  // namespace
}  // namespace oms
