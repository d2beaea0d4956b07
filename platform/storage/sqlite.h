// The SQLite engine of the store interface (database.h): the embedded default.
#ifndef OMS_PLATFORM_STORAGE_SQLITE_H_
#define OMS_PLATFORM_STORAGE_SQLITE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "platform/storage/database.h"
#include "platform/storage/sqlite_control.h"
#include "platform/storage/wal_checkpointer.h"
#include "platform/storage/wal_sync.h"

struct sqlite3;
struct sqlite3_stmt;

namespace oms {

class SqliteSession;

// A store in one SQLite file: WAL, busy timeout, foreign keys. A single connection
// serialised by a mutex: SQLite allows one writer at a time anyway, and one connection keeps
// prepared statements warm. Thread-safe.
//
// Group commit: write transactions that queue for the connection while another one runs
// join one SQLite transaction, each inside a savepoint of its own (its failure rolls back
// only its savepoint; the before-commit hook runs per savepoint). The last of the group to
// finish commits it: one WAL append. With durable commits (the default) the WAL is then
// fsynced after the connection is released, so the next group runs meanwhile, and one fsync
// covers every group committed before it started (wal_sync.h). Nobody is answered before
// the group's COMMIT has returned and, for durable stores, its frames are on disk; neither
// is a read answered before what it could see is on disk. A read that finds a group open
// commits it first, so reads never see writes that are not yet committed. A group of only
// replayable transactions (Durability::kReplayable) waits for no fsync: the next durable
// one covers their WAL frames too; one durable member makes its whole group wait.
class SqliteDatabase : public Database {
 public:
  // Opens (creating if needed) `path`; ":memory:" for a private in-memory store.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const DatabaseOptions& options = {});
  ~SqliteDatabase() override;

  // BEGIN IMMEDIATE: takes the write lock first, so the transaction cannot fail later for
  // lack of it; blocks while another transaction of this store is open.
  using Database::Transact;
  absl::Status Transact(absl::FunctionRef<absl::Status(Session&)> fn,
                        Durability durability) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Session&)> fn) override;
  Engine engine() const override { return Engine::kSqlite; }
  absl::Status ForgetOldVersions() override;
  std::string path() const override { return path_; }

  // COMMITs that ended a group (each covers one or more write transactions), and writers
  // queued for the connection right now: for metrics and tests.
  int64_t commit_groups() const override { return commit_groups_.load(std::memory_order_relaxed); }
  int writers_waiting() const { return writers_waiting_.load(std::memory_order_relaxed); }
  // fsyncs of the WAL made for durable commits (0 when commits are not durable), and callers
  // waiting for one right now: for metrics and tests.
  int64_t wal_syncs() const override { return wal_sync_ != nullptr ? wal_sync_->syncs() : 0; }
  int waiting_for_sync() const { return wal_sync_ != nullptr ? wal_sync_->waiting() : 0; }
  // Syncs the WAL with `sync` instead (tests: a disk that stalls or fails). Only before the
  // first durable commit.
  void SetWalSyncForTesting(std::function<absl::Status()> sync) {
    wal_sync_ = std::make_unique<WalSync>(std::move(sync));
  }

 private:
  // The outcome of one commit group, shared by its members.
  struct CommitGroup {
    absl::Notification committed;
    absl::Status status;  // set before `committed` is notified
    bool synced = false;  // a durable member: answered only once the WAL is synced
    int members = 0;      // its transactions that succeeded
    bool committed_any = false;
    int64_t ticket = 0;  // WalSync's, when it waits for an fsync
    absl::Time commit_started;
  };

  SqliteDatabase(sqlite3* db, std::string path, const DatabaseOptions& options);
  // Runs `fn` in a savepoint of the open group: released if `fn` and the before-commit hook
  // succeed, rolled back to otherwise. Answers fn's (or the hook's) status.
  absl::Status RunInSavepoint(absl::FunctionRef<absl::Status(Session&)> fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Commits the open group (or rolls it back when nobody in it succeeded) and answers it;
  // its members are told by Release, once the lock is given up.
  std::shared_ptr<CommitGroup> FinishGroup() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Waits for a finished group's fsync, if it needs one, and tells its members.
  void Release(CommitGroup& group);
  // Release, then wakes the commit listeners if it committed anything.
  void ReleaseAndTell(std::shared_ptr<CommitGroup> group);
  // WalSync's ticket of the last durable commit (0 without WalSync).
  int64_t LastTicket() const;
  // WalSync::WaitDurable; a failure is the store's fault (Database::ReportFault).
  absl::Status WaitDurable(int64_t ticket);
  // The group ended without COMMIT (SQLite rolled it back on an I/O error or a full disk):
  // every member is told `status`.
  void AbandonGroup(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs a statement without rows and arguments, prepared once (SqliteControlStatements).
  absl::Status Exec(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Opens a group.
  absl::Status BeginGroup() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const bool rehearse_writes_;
  const int max_group_;
  const bool durable_commits_;
  // Held while a transaction runs; db_ and session_ are used only then.
  absl::Mutex mu_;
  sqlite3* db_;
  std::unique_ptr<SqliteSession> session_ ABSL_GUARDED_BY(mu_);
  // BEGIN, SAVEPOINT, COMMIT and the like, run by Exec.
  std::unique_ptr<SqliteControlStatements> control_ ABSL_GUARDED_BY(mu_);
  // The group of write transactions that are done but not yet committed, or nullptr.
  std::shared_ptr<CommitGroup> open_group_ ABSL_GUARDED_BY(mu_);
  int group_members_ ABSL_GUARDED_BY(mu_) = 0;  // succeeded savepoints in open_group_
  // Writers waiting for mu_: while there are any, a finished writer leaves its group open
  // for them to join.
  std::atomic<int> writers_waiting_{0};
  std::atomic<int64_t> commit_groups_{0};
  std::unique_ptr<WalCheckpointer> checkpointer_;
  std::unique_ptr<WalSync> wal_sync_;  // durable file stores only
};

// Maps a SQLite result code to the closest absl code (UNIQUE -> ALREADY_EXISTS, BUSY ->
// UNAVAILABLE, ...), with SQLite's message.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_H_
