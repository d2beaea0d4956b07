#include "platform/base/periodic_task.h"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <functional>
#include <string>

#include "gtest/gtest.h"
#include "platform/base/background_thread.h"

namespace oms {
namespace {

// Counts a task's runs; the tests wait for a count instead of sleeping.
class RunCounter {
 public:
  std::function<absl::Status()> Fn() {
    return [this] {
      absl::MutexLock lock(&mu_);
      ++runs_;
      return absl::OkStatus();
    };
  }
  void AwaitRuns(int want) {
    absl::MutexLock lock(&mu_);
    auto ran = [this, want]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return runs_ >= want; };
    mu_.Await(absl::Condition(&ran));
  }
  int runs() {
    absl::MutexLock lock(&mu_);
    return runs_;
  }

 private:
  absl::Mutex mu_;
  int runs_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(PeriodicTaskTest, RunsAsABackgroundThreadNamedAfterTheTask) {
  SetBackgroundNice(10);
  absl::Mutex mu;
  std::string name;
  int policy = -1;
  bool ran = false;
  PeriodicTask task("delivery:EMAIL", absl::Hours(1), [&] {
    char comm[16] = {};
    pthread_getname_np(pthread_self(), comm, sizeof(comm));
    absl::MutexLock lock(&mu);
    name = comm;
    policy = sched_getscheduler(0);
    ran = true;
    return absl::OkStatus();
  });
  task.Start();
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&ran));
  }
  task.Stop();
  SetBackgroundNice(0);
  EXPECT_EQ(name, "delivery:EMAIL");
  EXPECT_EQ(policy, SCHED_BATCH);
}

TEST(PeriodicTaskTest, RunsAtOnceAndStopsPromptlyBetweenRuns) {
  RunCounter counter;
  // An interval far longer than the test: only the immediate first run can happen, and
  // Stop() must not wait for the interval to pass.
  PeriodicTask task("counter", absl::Hours(1), counter.Fn());
  task.Start();
  counter.AwaitRuns(1);
  absl::Time before = absl::Now();
  task.Stop();
  EXPECT_LT(absl::Now() - before, absl::Minutes(1));
  EXPECT_EQ(counter.runs(), 1);
}

TEST(PeriodicTaskTest, WakeRunsAgainWithoutWaitingForTheInterval) {
  RunCounter counter;
  PeriodicTask task("courier", absl::Hours(1), counter.Fn());
  task.Start();
  for (int want = 1; want <= 3; ++want) {
    counter.AwaitRuns(want);  // an hour's interval: only a wake gets past the first
    if (want < 3) task.Wake();
  }
  task.Stop();
  EXPECT_EQ(counter.runs(), 3);
}

TEST(PeriodicTaskTest, AWokenRunWaitsForTheLingerAndStopEndsThatWait) {
  RunCounter counter;
  PeriodicTask task("courier", absl::Hours(1), counter.Fn());
  task.set_wake_linger(absl::Hours(1));
  task.Start();
  counter.AwaitRuns(1);
  task.Wake();  // a burst: both wait out the same linger
  task.Wake();
  absl::Time before = absl::Now();
  task.Stop();
  EXPECT_LT(absl::Now() - before, absl::Minutes(1));
  EXPECT_EQ(counter.runs(), 1);  // the woken run was still lingering when stopped
}

TEST(PeriodicTaskTest, AWokenRunHappensOnceTheLingerHasPassed) {
  RunCounter counter;
  PeriodicTask task("courier", absl::Hours(1), counter.Fn());
  task.set_wake_linger(absl::Milliseconds(1));
  task.Start();
  counter.AwaitRuns(1);
  task.Wake();
  counter.AwaitRuns(2);  // an hour's interval: only the wake gets past the first
  task.Stop();
}

TEST(PeriodicTaskTest, FailuresDoNotStopTheTask) {
  std::atomic<int> runs{0};
  PeriodicTask task("failing", absl::Milliseconds(1), [&] {
    ++runs;
    return absl::InternalError("boom");
  });
  task.Start();
  while (runs.load() < 3) {
  }
  task.Stop();
  EXPECT_GE(runs.load(), 3);
}

TEST(PeriodicTaskTest, WorkWaitsUntilPrepareSucceedsAndPrepareRunsAgainAfterARestart) {
  std::atomic<int> prepares{0};
  std::atomic<int> runs{0};
  std::atomic<int> runs_before_prepared{0};
  PeriodicTask task(
      "courier", absl::Milliseconds(1),
      [&] {
        if (prepares.load() < 3) ++runs_before_prepared;
        ++runs;
        return absl::OkStatus();
      },
      [&] {
        // Fails twice (the store is briefly away), then succeeds.
        return ++prepares < 3 ? absl::UnavailableError("store away") : absl::OkStatus();
      });
  task.Start();
  while (runs.load() < 2) {
  }
  task.Stop();
  EXPECT_EQ(prepares.load(), 3);
  EXPECT_EQ(runs_before_prepared.load(), 0);

  task.Start();  // a new holder of the work prepares again before running it
  while (runs.load() < 4) {
  }
  task.Stop();
  EXPECT_EQ(prepares.load(), 4);
}

}  // namespace
}  // namespace oms
