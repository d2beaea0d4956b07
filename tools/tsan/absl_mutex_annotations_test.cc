// Data handed between threads under each way of holding an absl::Mutex. A correct program,
// so it passes in every build; under --config=tsan it fails (TSan reports a race) unless
// absl_mutex_annotations.cc tells TSan about the mutex, which is what tools/tsan/run.sh
// relies on.
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace oms {
namespace {

constexpr int kRounds = 200;

TEST(AbslMutexAnnotationsTest, LockAndUnlockOrderTheAccesses) {
  absl::Mutex mu;
  int counter = 0;
  std::thread other([&] {
    for (int i = 0; i < kRounds; ++i) {
      absl::MutexLock lock(&mu);
      ++counter;
    }
  });
  for (int i = 0; i < kRounds; ++i) {
    absl::MutexLock lock(&mu);
    ++counter;
  }
  other.join();
  EXPECT_EQ(counter, 2 * kRounds);
}

TEST(AbslMutexAnnotationsTest, ReaderLockSeesTheWritersData) {
  absl::Mutex mu;
  std::string value;
  bool written = false;
  std::thread writer([&] {
    absl::MutexLock lock(&mu);
    value = "written";
    written = true;
  });
  mu.ReaderLockWhen(absl::Condition(&written));
  EXPECT_EQ(value, "written");
  mu.ReaderUnlock();
  writer.join();
}

TEST(AbslMutexAnnotationsTest, AwaitHandsOverWhatWasWrittenBeforeTheCondition) {
  absl::Mutex mu;
  std::vector<int> queue;
  bool done = false;
  std::thread producer([&] {
    for (int i = 0; i < kRounds; ++i) {
      absl::MutexLock lock(&mu);
      queue.push_back(i);
    }
    absl::MutexLock lock(&mu);
    done = true;
  });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
    EXPECT_EQ(queue.size(), static_cast<size_t>(kRounds));
  }
  producer.join();
}

TEST(AbslMutexAnnotationsTest, CondVarWaitSeesTheSignallersData) {
  absl::Mutex mu;
  absl::CondVar ready;
  int payload = 0;
  std::thread signaller([&] {
    absl::MutexLock lock(&mu);
    payload = 42;
    ready.Signal();
  });
  {
    absl::MutexLock lock(&mu);
    while (payload == 0) ready.WaitWithTimeout(&mu, absl::Seconds(10));
    EXPECT_EQ(payload, 42);
  }
  signaller.join();
}

}  // namespace
}  // namespace oms
