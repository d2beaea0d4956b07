// One replica at a time runs a leased task; another takes over when the holder stops or
// loses its store connection. Two replicas are two Database objects on one PostgreSQL
// database; on SQLite one process owns the store, so the "replicas" share its Database.
#include "platform/server/leased_task.h"

#include <atomic>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "platform/storage/open_database.h"
#include "platform/testing/store_test.h"

namespace oms {
namespace {

// Counts how often it is started and whether it runs now.
class FakeWork : public Background {
 public:
  explicit FakeWork(std::atomic<int>* running) : running_(running) {}
  void Start() override { ++*running_; }
  void Stop() override { --*running_; }
  std::string name() const override { return "sweep"; }

 private:
  std::atomic<int>* running_;
};

class LeasedTaskTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    target_ = NewTarget(":memory:");
    first_ = Open();
    ASSERT_NE(first_, nullptr);
    // A second replica: its own Database on the same PostgreSQL database.
    if (engine() == Engine::kPostgres) second_ = Open();
  }
  Database* second() { return second_ != nullptr ? second_.get() : first_.get(); }
  std::unique_ptr<Database> Open() {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenDatabase(target_);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  std::unique_ptr<LeasedTask> Task(Database* db, std::atomic<int>* running) {
    // No periodic checks: the test triggers them (CheckNow).
    return std::make_unique<LeasedTask>(db, std::make_unique<FakeWork>(running), absl::Hours(1));
  }

  std::string target_;
  std::unique_ptr<Database> first_;
  std::unique_ptr<Database> second_;
};

TEST_P(LeasedTaskTest, OneReplicaRunsItAndAnotherTakesOverWhenItStops) {
  std::atomic<int> running{0};
  auto a = Task(first_.get(), &running);
  auto b = Task(second(), &running);
  a->Start();
  b->Start();
  EXPECT_TRUE(a->running());
  EXPECT_FALSE(b->running());
  EXPECT_EQ(running.load(), 1);

  b->CheckNow();  // still held by a
  EXPECT_FALSE(b->running());

  a->Stop();
  EXPECT_EQ(running.load(), 0);
  b->CheckNow();
  EXPECT_TRUE(b->running());
  EXPECT_EQ(running.load(), 1);

  a->Start();  // a comes back: b keeps the work
  EXPECT_FALSE(a->running());
  b->Stop();
  EXPECT_EQ(running.load(), 0);
}

TEST_P(LeasedTaskTest, AHolderThatLosesItsConnectionStopsAndAnotherTakesOver) {
  if (engine() != Engine::kPostgres) GTEST_SKIP() << "SQLite has no connection to lose";
  std::atomic<int> running{0};
  auto a = Task(first_.get(), &running);
  auto b = Task(second(), &running);
  a->Start();
  b->Start();
  ASSERT_TRUE(a->running());

  // The server ends every session that holds an advisory lock (a's lease connection).
  auto admin = Open();
  ASSERT_TRUE(admin
                  ->Read([](Session& s) {
                    return s
                        .Query(
                            "SELECT pg_terminate_backend(pid) FROM pg_locks "
                            "WHERE locktype = 'advisory' AND granted")
                        .status();
                  })
                  .ok());

  a->CheckNow();
  EXPECT_FALSE(a->running());
  EXPECT_EQ(running.load(), 0);
  b->CheckNow();
  EXPECT_TRUE(b->running());
  a->CheckNow();  // a reconnects and finds the lease taken
  EXPECT_FALSE(a->running());
  EXPECT_EQ(running.load(), 1);
}

OMS_ON_EVERY_ENGINE(LeasedTaskTest);

}  // namespace
}  // namespace oms
