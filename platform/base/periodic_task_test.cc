#include "platform/base/periodic_task.h"

#include <atomic>

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(PeriodicTaskTest, RunsAtOnceAndStopsPromptlyBetweenRuns) {
  absl::Mutex mu;
  int runs = 0;
  // An interval far longer than the test: only the immediate first run can happen, and
  // Stop() must not wait for the interval to pass.
  PeriodicTask task("counter", absl::Hours(1), [&] {
    absl::MutexLock lock(&mu);
    ++runs;
    return absl::OkStatus();
  });
  task.Start();
  {
    absl::MutexLock lock(&mu);
    auto ran = [&runs]() { return runs > 0; };
    mu.Await(absl::Condition(&ran));
  }
  absl::Time before = absl::Now();
  task.Stop();
  EXPECT_LT(absl::Now() - before, absl::Minutes(1));
  absl::MutexLock lock(&mu);
  EXPECT_EQ(runs, 1);
}

TEST(PeriodicTaskTest, WakeRunsAgainWithoutWaitingForTheInterval) {
  absl::Mutex mu;
  int runs = 0;
  PeriodicTask task("courier", absl::Hours(1), [&] {
    absl::MutexLock lock(&mu);
    ++runs;
    return absl::OkStatus();
  });
  task.Start();
  for (int want = 1; want <= 3; ++want) {
    absl::MutexLock lock(&mu);
    auto ran = [&runs, want]() { return runs >= want; };
    mu.Await(absl::Condition(&ran));  // an hour's interval: only a wake gets past the first
    if (want < 3) {
      mu.Unlock();
      task.Wake();
      mu.Lock();
    }
  }
  task.Stop();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(runs, 3);
}

TEST(PeriodicTaskTest, AWokenRunWaitsForTheLingerAndStopEndsThatWait) {
  absl::Mutex mu;
  int runs = 0;
  PeriodicTask task("courier", absl::Hours(1), [&] {
    absl::MutexLock lock(&mu);
    ++runs;
    return absl::OkStatus();
  });
  task.set_wake_linger(absl::Hours(1));
  task.Start();
  {
    absl::MutexLock lock(&mu);
    auto ran = [&runs]() { return runs > 0; };
    mu.Await(absl::Condition(&ran));
  }
  task.Wake();  // a burst: both wait out the same linger
  task.Wake();
  absl::Time before = absl::Now();
  task.Stop();
  EXPECT_LT(absl::Now() - before, absl::Minutes(1));
  absl::MutexLock lock(&mu);
  EXPECT_EQ(runs, 1);  // the woken run was still lingering when stopped
}

TEST(PeriodicTaskTest, AWokenRunHappensOnceTheLingerHasPassed) {
  absl::Mutex mu;
  int runs = 0;
  PeriodicTask task("courier", absl::Hours(1), [&] {
    absl::MutexLock lock(&mu);
    ++runs;
    return absl::OkStatus();
  });
  task.set_wake_linger(absl::Milliseconds(1));
  task.Start();
  for (int want = 1; want <= 2; ++want) {
    absl::MutexLock lock(&mu);
    auto ran = [&runs, want]() { return runs >= want; };
    mu.Await(absl::Condition(&ran));  // an hour's interval: only the wake gets past the first
    if (want < 2) {
      mu.Unlock();
      task.Wake();
      mu.Lock();
    }
  }
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
