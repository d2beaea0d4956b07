#include "platform/base/background_thread.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "platform/base/log.h"

namespace oms {
namespace {

// Off: giving way measured worse at the tail than not (see the header).
constexpr int kDefaultBackgroundNice = 0;

std::atomic<int> background_nice{kDefaultBackgroundNice};
std::atomic<bool> refusal_logged{false};

void LogRefusalOnce(const char* what, int error) {
  if (!refusal_logged.exchange(true)) {
    LogWarning("background threads keep the usual priority: ", what, ": ", std::strerror(error));
  }
}

}  // namespace

void SetBackgroundNice(int nice) { background_nice.store(nice); }

int BackgroundNice() { return background_nice.load(); }

void BecomeBackgroundThread(absl::string_view name) {
  // The kernel keeps 15 characters and the terminating zero.
  std::string comm(name.substr(0, 15));
  pthread_setname_np(pthread_self(), comm.c_str());
  int nice = BackgroundNice();
  if (nice <= 0) return;
  sched_param param{};
  param.sched_priority = 0;
  if (int error = pthread_setschedparam(pthread_self(), SCHED_BATCH, &param); error != 0) {
    LogRefusalOnce("SCHED_BATCH", error);
  }
  // On Linux the nice value belongs to the thread (its task id), not to the whole process.
  // A thread already below that priority (the whole service started with `nice`) stays so.
  auto tid = static_cast<id_t>(syscall(SYS_gettid));
  errno = 0;
  int current = getpriority(PRIO_PROCESS, tid);
  if (errno == 0 && current >= nice) return;
  if (setpriority(PRIO_PROCESS, tid, nice) != 0) LogRefusalOnce("setpriority", errno);
}

}  // namespace oms
