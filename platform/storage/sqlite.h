// The SQLite engine of the store interface (database.h): the embedded default.
#ifndef OMS_PLATFORM_STORAGE_SQLITE_H_
#define OMS_PLATFORM_STORAGE_SQLITE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "platform/storage/database.h"
#include "platform/storage/sqlite_control.h"
#include "platform/storage/wal_checkpointer.h"

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
// finish commits it: one WAL append and, with synchronous=FULL (the default), one fsync for
// all of them. Nobody is answered before the group's COMMIT has returned. A read that finds
// a group open commits it first, so reads never see writes that are not yet committed.
// Replayable transactions (Durability::kReplayable) group only among themselves and commit
// with synchronous=NORMAL: no fsync of their own; the next durable commit's fsync covers
// their WAL frames too. A durable writer that finds such a group open commits it first.
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
  int64_t commit_groups() const { return commit_groups_.load(std::memory_order_relaxed); }
  int writers_waiting() const { return writers_waiting_.load(std::memory_order_relaxed); }

 private:
  // The outcome of one commit group, shared by its members.
  struct CommitGroup {
    absl::Notification committed;
    absl::Status status;  // set before `committed` is notified
    bool synced = true;   // COMMIT fsyncs the WAL (synchronous=FULL)
  };

  SqliteDatabase(sqlite3* db, std::string path, const DatabaseOptions& options);
  // Runs `fn` in a savepoint of the open group: released if `fn` and the before-commit hook
  // succeed, rolled back to otherwise. Answers fn's (or the hook's) status.
  absl::Status RunInSavepoint(absl::FunctionRef<absl::Status(Session&)> fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Commits the open group (or rolls it back when nobody in it succeeded) and tells its
  // members; answers whether anything was committed.
  bool FinishGroup() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The group ended without COMMIT (SQLite rolled it back on an I/O error or a full disk):
  // every member is told `status`.
  void AbandonGroup(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs a statement without rows and arguments, prepared once (SqliteControlStatements).
  absl::Status Exec(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Opens a group whose COMMIT fsyncs the WAL or not (`synced`), setting synchronous first
  // (SQLite takes it only outside a transaction).
  absl::Status BeginGroup(bool synced) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

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
  bool synchronous_full_ ABSL_GUARDED_BY(mu_);  // the connection's synchronous setting
  // Writers waiting for mu_: while there are any, a finished writer leaves its group open
  // for them to join.
  std::atomic<int> writers_waiting_{0};
  std::atomic<int64_t> commit_groups_{0};
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

// Maps a SQLite result code to the closest absl code (UNIQUE -> ALREADY_EXISTS, BUSY ->
// UNAVAILABLE, ...), with SQLite's message.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_H_
