#ifndef OMS_PLATFORM_STORAGE_WAL_SYNC_H_
#define OMS_PLATFORM_STORAGE_WAL_SYNC_H_

// Pipelined group commit for a SQLite WAL store: the fsync that makes commits survive a
// power loss runs after the store's connection is released, not inside COMMIT.
//
// With synchronous=FULL SQLite fsyncs the WAL inside COMMIT, so the store's one connection
// (and every reader and writer queued for it) waits for the disk. Here the connection
// commits with synchronous=NORMAL (the frames are written, not synced) and takes a ticket;
// whoever must not go on before those frames are on disk waits for its ticket outside the
// connection's lock. One waiter at a time syncs, for every commit made before it started, so
// one fsync covers all the commits of the groups that queued meanwhile. fdatasync of the WAL
// after NORMAL commits is what FULL does at each commit: recovery keeps every frame up to the
// last synced commit frame.
//
// Readers must not act on what may still vanish: SqliteDatabase makes a read wait for the
// ticket of the last commit it could see before answering, so nobody (a client, a feed
// follower) is told of a write before it is on disk.
//
// A failed fsync is final (the kernel may have dropped the dirty pages it could not write,
// so a later fsync that succeeds proves nothing): every later wait answers the error, and
// the service has to be restarted, as PostgreSQL does.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace oms {

class WalSync {
 public:
  // Syncs the store's WAL file at `wal_path` (fdatasync; the directory too, once, since the
  // WAL may be new). The file is opened at the first sync: SQLite creates it on first write.
  explicit WalSync(std::string wal_path);
  // Syncs by calling `sync` (tests).
  explicit WalSync(std::function<absl::Status()> sync);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // A COMMIT whose frames must reach the disk has returned: its ticket. Called in commit
  // order, under the store's lock.
  int64_t Committed();
  // The ticket of the last commit that must reach the disk; 0 before any.
  int64_t last_committed() const { return committed_.load(std::memory_order_acquire); }
  // Blocks until every commit up to `ticket` is on disk, syncing if nobody else is.
  absl::Status WaitDurable(int64_t ticket);
  // fsyncs made so far, and callers waiting for another's fsync right now: for metrics
  // and tests.
  int64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }
  int waiting() const { return waiting_.load(std::memory_order_relaxed); }

 private:
  absl::Status SyncFile();

  const std::string wal_path_;
  std::function<absl::Status()> sync_;
  int fd_ = -1;  // touched only by the thread syncing (syncing_)
  std::atomic<int64_t> committed_{0};
  std::atomic<int64_t> synced_fast_{0};  // synced_, read without the lock
  std::atomic<int64_t> syncs_{0};
  std::atomic<int> waiting_{0};
  absl::Mutex mu_;
  absl::CondVar sync_done_;
  int64_t synced_ ABSL_GUARDED_BY(mu_) = 0;
  bool syncing_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status failed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_WAL_SYNC_H_
