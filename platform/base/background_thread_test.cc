#include "platform/base/background_thread.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace oms {
namespace {

struct ThreadState {
  std::string name;
  int policy = -1;
  int nice = -100;
};

ThreadState StateOfThisThread() {
  ThreadState state;
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof(name));
  state.name = name;
  state.policy = sched_getscheduler(0);  // 0: the calling thread
  errno = 0;
  state.nice = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
  return state;
}

class BackgroundThreadTest : public testing::Test {
 protected:
  void TearDown() override { SetBackgroundNice(0); }
};

TEST_F(BackgroundThreadTest, TheThreadIsNamedAndYieldsToTheOthers) {
  SetBackgroundNice(10);
  ThreadState before = StateOfThisThread();
  ThreadState background, started_by_it;
  std::thread thread([&] {
    BecomeBackgroundThread("feed:order_svc");
    background = StateOfThisThread();
    std::thread child([&] { started_by_it = StateOfThisThread(); });
    child.join();
  });
  thread.join();
  EXPECT_EQ(background.name, "feed:order_svc");
  EXPECT_EQ(background.policy, SCHED_BATCH);
  EXPECT_EQ(background.nice, std::max(before.nice, 10));
  // What it starts inherits both; the thread that started it is untouched.
  EXPECT_EQ(started_by_it.name, "feed:order_svc");
  EXPECT_EQ(started_by_it.policy, SCHED_BATCH);
  EXPECT_EQ(started_by_it.nice, std::max(before.nice, 10));
  ThreadState after = StateOfThisThread();
  EXPECT_EQ(after.policy, before.policy);
  EXPECT_EQ(after.nice, before.nice);
  EXPECT_EQ(after.name, before.name);
}

TEST_F(BackgroundThreadTest, ByDefaultItOnlyNamesTheThread) {
  EXPECT_EQ(BackgroundNice(), 0);
  ThreadState before = StateOfThisThread();
  ThreadState background;
  std::thread thread([&] {
    BecomeBackgroundThread("courier");
    background = StateOfThisThread();
  });
  thread.join();
  EXPECT_EQ(background.name, "courier");
  EXPECT_EQ(background.policy, before.policy);
  EXPECT_EQ(background.nice, before.nice);
}

TEST_F(BackgroundThreadTest, ALongNameKeepsItsFirstFifteenCharacters) {
  ThreadState background;
  std::thread thread([&] {
    BecomeBackgroundThread("feed:inventory_svc");
    background = StateOfThisThread();
  });
  thread.join();
  EXPECT_EQ(background.name, "feed:inventory_");
}

}  // namespace
}  // namespace oms
