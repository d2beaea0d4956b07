#include "platform/base/striped_mutex.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(StripedMutexTest, TheSameKeyAlwaysGetsTheSameMutex) {
  StripedMutex<16> locks;
  EXPECT_EQ(&locks.For("ord_1"), &locks.For("ord_1"));
  int distinct = 0;
  for (int i = 0; i < 64; ++i) {
    distinct += &locks.For("ord_" + std::to_string(i)) != &locks.For("ord_x");
  }
  EXPECT_GT(distinct, 32);  // keys spread over the stripes
}

TEST(StripedMutexTest, HoldersOfOneKeyTakeTurns) {
  StripedMutex<> locks;
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        absl::MutexLock lock(&locks.For("ord_1"));
        int now = ++inside;
        most = std::max(most.load(), now);
        --inside;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
}

}  // namespace
}  // namespace oms
