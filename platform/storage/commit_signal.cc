#include "platform/storage/commit_signal.h"

namespace oms {

CommitSignal::CommitSignal(Database* db)
    : db_(db), listener_(db->AddCommitListener([this] {
        absl::MutexLock lock(&mu_);
        ++generation_;
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
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace oms
