#ifndef OMS_PLATFORM_STORAGE_COMMIT_SIGNAL_H_
#define OMS_PLATFORM_STORAGE_COMMIT_SIGNAL_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/storage/database.h"

namespace oms {

// Lets readers wait for new commits to a store instead of polling it: a counter that moves on
// every commit. Read Generation() before reading the store; WaitForChange(seen) then returns
// as soon as anything newer may exist. Live streams (WatchEvents, WatchInbox) use it.
// Thread-safe.
class CommitSignal {
 public:
  // Registers a commit listener on `db`, which must outlive the signal.
  explicit CommitSignal(Database* db);
  ~CommitSignal();

  uint64_t Generation() const;
  // Waits until the generation differs from `seen`, `timeout` passes or Close() is called.
  // Returns false once closed.
  bool WaitForChange(uint64_t seen, absl::Duration timeout) const;
  // Wakes every waiter for good (server shutdown).
  void Close();

 private:
  Database* const db_;
  const int listener_;
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_COMMIT_SIGNAL_H_
