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

}  // namespace
}  // namespace oms
