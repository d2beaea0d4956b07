#include "platform/server/leased_task.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/background_thread.h"
#include "platform/base/log.h"

namespace oms {

LeasedTask::LeasedTask(Database* db, std::unique_ptr<Background> task, absl::Duration check_every)
    : db_(db), task_(std::move(task)), check_every_(check_every) {}

void LeasedTask::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_ != nullptr) return;
  stopping_ = false;
  Step();
  thread_ = std::make_unique<std::thread>([this] {
    BecomeBackgroundThread(absl::StrCat("lease:", task_->name()));
    absl::MutexLock lock(&mu_);
    while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), check_every_)) Step();
  });
}

void LeasedTask::Step() {
  if (lease_ == nullptr) {
    absl::StatusOr<std::unique_ptr<JobLease>> lease = db_->TryLease(task_->name());
    if (!lease.ok()) {
      LogWarning(task_->name(), ": lease not taken: ", lease.status().ToString());
      return;
    }
    if (*lease == nullptr) return;  // another replica runs it
    lease_ = std::move(*lease);
    task_->Start();
    running_ = true;
    return;
  }
  if (lease_->held()) return;
  LogWarning(task_->name(), ": lease lost; stopping until it is taken again");
  task_->Stop();
  running_ = false;
  lease_.reset();
}

void LeasedTask::Stop() {
  std::unique_ptr<std::thread> thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  if (thread != nullptr) thread->join();
  absl::MutexLock lock(&mu_);
  if (running_) task_->Stop();
  running_ = false;
  lease_.reset();
}

void LeasedTask::CheckNow() {
  absl::MutexLock lock(&mu_);
  if (!stopping_) Step();
}

bool LeasedTask::running() const {
  absl::MutexLock lock(&mu_);
  return running_;
}

}  // namespace oms
