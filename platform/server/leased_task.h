#ifndef OMS_PLATFORM_SERVER_LEASED_TASK_H_
#define OMS_PLATFORM_SERVER_LEASED_TASK_H_

// Background work that runs on one replica at a time: sweeps, feed consumers and the courier
// of a service run as several replicas on one PostgreSQL store would otherwise all do the
// same work (and the courier would send a message twice).

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/background.h"
#include "platform/storage/database.h"

namespace oms {

// Runs `task` while this process holds the store's lease named after it. Start() tries once
// at once (so the first replica, and every SQLite service, starts its work before Start
// returns); a replica that finds the lease taken keeps trying every `check_every` and takes
// over when the holder stops or dies. A holder that loses its lease (its connection to the
// store broke) stops the task and tries again. Thread-safe.
class LeasedTask : public Background {
 public:
  LeasedTask(Database* db, std::unique_ptr<Background> task,
             absl::Duration check_every = absl::Seconds(1));
  ~LeasedTask() override { Stop(); }

  void Start() override;
  void Stop() override;
  std::string name() const override { return task_->name(); }

  // Whether the task runs in this process now.
  bool running() const;
  // What the monitor does every `check_every`, at once: tests trigger it instead of waiting.
  void CheckNow();

 private:
  // One step: take the lease if free, or give the task up if the lease was lost.
  void Step() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Database* const db_;
  const std::unique_ptr<Background> task_;
  const absl::Duration check_every_;
  mutable absl::Mutex mu_;
  std::unique_ptr<JobLease> lease_ ABSL_GUARDED_BY(mu_);
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<std::thread> thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_LEASED_TASK_H_
