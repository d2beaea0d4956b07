#include "platform/storage/commit_signal.h"

#include <utility>

namespace oms {

CommitSignal::CommitSignal(Database* db)
    : db_(db), listener_(db->AddCommitListener([this] {
        {
          absl::MutexLock lock(&mu_);
          ++generation_;
        }
        WakeAll();
      })) {}

CommitSignal::~CommitSignal() { db_->RemoveCommitListener(listener_); }

uint64_t CommitSignal::Generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

bool CommitSignal::WaitForChange(uint64_t seen, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto changed = [this, seen]()
                     ABSL_SHARED_LOCKS_REQUIRED(mu_) { return closed_ || generation_ != seen; };
  mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  return !closed_;
}

void CommitSignal::Close() {
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  WakeAll();
}

bool CommitSignal::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

int CommitSignal::AddWaker(std::function<void()> wake) {
  absl::MutexLock lock(&wakers_mu_);
  int id = next_waker_++;
  wakers_.emplace(id, std::move(wake));
  return id;
}

void CommitSignal::RemoveWaker(int id) {
  absl::MutexLock lock(&wakers_mu_);  // waits for a WakeAll under way
  wakers_.erase(id);
}

void CommitSignal::WakeAll() {
  absl::MutexLock lock(&wakers_mu_);
  for (auto& [id, wake] : wakers_) wake();
}

}  // namespace oms
