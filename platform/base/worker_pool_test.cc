#include "platform/base/worker_pool.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace oms {
namespace {

std::vector<std::function<void()>> Repeat(int n, const std::function<void()>& task) {
  return std::vector<std::function<void()>>(n, task);
}

TEST(WorkerPoolTest, RunsEveryTaskOnceAndReturnsWhenAllHaveReturned) {
  WorkerPool pool("test pool", 3);
  std::atomic<int> done{0};
  std::vector<std::atomic<int>> runs(10);
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 10; ++i) {
    tasks.push_back([&, i] {
      ++runs[i];
      ++done;
    });
  }
  pool.RunAll(std::move(tasks));
  EXPECT_EQ(done.load(), 10);
  for (std::atomic<int>& count : runs) EXPECT_EQ(count.load(), 1);
}

TEST(WorkerPoolTest, RunsUpToItsThreadsAndTheCallerAtOnce) {
  // Four tasks that each wait until all four have started: only concurrent runs finish.
  WorkerPool pool("test pool", 3);
  absl::Mutex mu;
  int started = 0;
  bool all_met = true;
  pool.RunAll(Repeat(4, [&] {
    absl::MutexLock lock(&mu);
    ++started;
    auto four = [&started] { return started == 4; };
    if (!mu.AwaitWithTimeout(absl::Condition(&four), absl::Seconds(30))) all_met = false;
  }));
  EXPECT_TRUE(all_met);
  EXPECT_EQ(pool.threads(), 3u);
}

TEST(WorkerPoolTest, KeepsItsThreadsFromOneRoundToTheNext) {
  WorkerPool pool("test pool", 2);
  absl::Mutex mu;
  std::set<std::thread::id> seen;
  for (int round = 0; round < 20; ++round) {
    pool.RunAll(Repeat(3, [&] {
      absl::MutexLock lock(&mu);
      seen.insert(std::this_thread::get_id());
    }));
  }
  EXPECT_EQ(pool.threads(), 2u);
  EXPECT_LE(seen.size(), 3u);  // the two kept threads and the caller
}

TEST(WorkerPoolTest, ARoundWaitsForItsOwnTasksOnlyAndRunsNoOther) {
  WorkerPool pool("test pool", 1);
  absl::Notification release;
  std::atomic<int> held{0};
  std::thread slow_caller([&] {
    pool.RunAll(Repeat(2, [&] {
      ++held;
      release.WaitForNotificationWithTimeout(absl::Seconds(30));
    }));
  });
  while (held.load() < 2) std::this_thread::yield();  // both tasks, the pool's thread's too
  // The pool's only thread is held; this round still finishes, on its caller.
  const std::thread::id me = std::this_thread::get_id();
  std::atomic<int> on_me{0};
  pool.RunAll(Repeat(2, [&] {
    if (std::this_thread::get_id() == me) ++on_me;
  }));
  EXPECT_FALSE(release.HasBeenNotified());  // finished while the other round was held
  EXPECT_EQ(on_me.load(), 2);
  release.Notify();
  slow_caller.join();
}

TEST(WorkerPoolTest, OneTaskRunsOnTheCallerWithoutAThread) {
  WorkerPool pool("test pool", 4);
  std::thread::id ran_on;
  pool.RunAll(Repeat(1, [&] { ran_on = std::this_thread::get_id(); }));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(pool.threads(), 0u);
  pool.RunAll({});  // nothing to run: returns at once
}

}  // namespace
}  // namespace oms
