#ifndef OMS_PLATFORM_STORAGE_COMMIT_SIGNAL_H_
#define OMS_PLATFORM_STORAGE_COMMIT_SIGNAL_H_

#include <cstdint>
#include <functional>
#include <map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/storage/database.h"

namespace oms {

// Lets readers wait for new commits to a store instead of polling it: a counter that moves on
// every commit. Read Generation() before reading the store; WaitForChange(seen) then returns
// as soon as anything newer may exist. Live streams (WatchEvents, WatchInbox) use it, either
// blocking a thread in WaitForChange or, with no thread of their own, through a waker.
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
  bool closed() const;

  // Calls `wake` after every generation change and once at Close(), outside the signal's own
  // lock; it must be quick (set a flag, signal a thread). Answers an id for RemoveWaker, after
  // which `wake` is never called again.
  int AddWaker(std::function<void()> wake);
  void RemoveWaker(int id);

 private:
  void WakeAll();

  Database* const db_;
  const int listener_;
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex wakers_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::map<int, std::function<void()>> wakers_ ABSL_GUARDED_BY(wakers_mu_);
  int next_waker_ ABSL_GUARDED_BY(wakers_mu_) = 0;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_COMMIT_SIGNAL_H_
