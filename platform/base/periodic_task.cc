#include "platform/base/periodic_task.h"

#include "platform/base/background_thread.h"
#include "platform/base/log.h"

namespace oms {

void PeriodicTask::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_ != nullptr) return;
  stopping_ = false;
  thread_ = std::make_unique<std::thread>([this] {
    BecomeBackgroundThread(name_);
    bool prepared = prepare_ == nullptr;
    while (true) {
      if (!prepared) {
        absl::Status s = prepare_();
        if (!s.ok()) LogWarning(name_, " could not prepare: ", s.ToString());
        prepared = s.ok();
      }
      if (prepared) {
        if (absl::Status s = fn_(); !s.ok()) LogWarning(name_, " failed: ", s.ToString());
      }
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(this, &PeriodicTask::StoppingOrWoken), interval_);
      if (woken_ && wake_linger_ > absl::ZeroDuration()) {
        mu_.AwaitWithTimeout(absl::Condition(this, &PeriodicTask::Stopping), wake_linger_);
      }
      if (stopping_) return;
      woken_ = false;
    }
  });
}

void PeriodicTask::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void PeriodicTask::Stop() {
  std::unique_ptr<std::thread> thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  if (thread != nullptr) thread->join();
}

}  // namespace oms
