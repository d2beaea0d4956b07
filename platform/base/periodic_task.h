#ifndef OMS_PLATFORM_BASE_PERIODIC_TASK_H_
#define OMS_PLATFORM_BASE_PERIODIC_TASK_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/background.h"

namespace oms {

// Runs `fn` now and then every `interval` in a background thread until Stop(); failures are
// logged with the task's name and the task carries on. Sweeps (expiry, detection,
// housekeeping) use it; tests call their sweep directly instead. `prepare`, when given, runs
// first after every Start() and must succeed before `fn` runs (it is tried again each
// interval): the courier settles the attempts its predecessor left in flight. Thread-safe.
class PeriodicTask : public Background {
 public:
  PeriodicTask(std::string name, absl::Duration interval, std::function<absl::Status()> fn,
               std::function<absl::Status()> prepare = nullptr)
      : name_(std::move(name)),
        interval_(interval),
        fn_(std::move(fn)),
        prepare_(std::move(prepare)) {}
  ~PeriodicTask() override { Stop(); }

  void Start() override;
  // Returns once a running `fn` has finished; Stop() ends the wait between runs at once.
  void Stop() override;
  // Ends the wait before the next run now (there is work: the courier's new messages); a
  // wake while `fn` runs makes one more run right after it.
  void Wake();
  // A woken run first waits this long (set before Start()), so the wakes of a burst share one
  // run: the courier claims and records a round's messages in one commit each, not one per
  // message. Zero (the default) runs at once. Stop() ends the wait.
  void set_wake_linger(absl::Duration linger) { wake_linger_ = linger; }
  std::string name() const override { return name_; }

 private:
  bool StoppingOrWoken() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || woken_; }
  bool Stopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; }

  const std::string name_;
  const absl::Duration interval_;
  const std::function<absl::Status()> fn_;
  const std::function<absl::Status()> prepare_;
  absl::Duration wake_linger_ = absl::ZeroDuration();
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<std::thread> thread_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_PERIODIC_TASK_H_
