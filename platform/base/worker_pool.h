#ifndef OMS_PLATFORM_BASE_WORKER_POOL_H_
#define OMS_PLATFORM_BASE_WORKER_POOL_H_

// Runs a round of tasks concurrently on threads kept from one round to the next.
//
// notify_svc's courier attempts each round's messages in lanes, a thread per lane. Starting
// and ending those threads every round cost a thread creation per lane per round: ~100 a
// second while orders flow and the e-mail channel fails (docs/BENCHMARKS.md). A pool starts
// its threads when a round first needs them and keeps them waiting for the next round.

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace oms {

class WorkerPool {
 public:
  // Up to `max_threads` threads, named `name` (BecomeBackgroundThread), none started yet.
  WorkerPool(std::string name, size_t max_threads);
  ~WorkerPool();  // joins the threads; no RunAll may be running
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs each task once, up to max_threads + 1 at a time (the calling thread takes tasks
  // too, so a round always progresses), and returns when every one has returned. Callers
  // may run rounds at once; each waits for its own tasks only and runs no other's.
  void RunAll(std::vector<std::function<void()>> tasks);

  // Threads started so far (they are kept).
  size_t threads();

 private:
  struct Round {
    std::vector<std::function<void()>> tasks;
    size_t next = 0;      // the first task nobody has taken
    size_t finished = 0;  // tasks that have returned
  };

  void Work();
  // Takes the next task of `round`, or answers false when all are taken.
  bool Take(Round& round, size_t& index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  const size_t max_threads_;
  absl::Mutex mu_;
  std::deque<Round*> rounds_ ABSL_GUARDED_BY(mu_);  // rounds with tasks nobody took yet
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
  size_t idle_ ABSL_GUARDED_BY(mu_) = 0;  // threads waiting for a task
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_WORKER_POOL_H_
