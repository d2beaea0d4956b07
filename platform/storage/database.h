// The store interface every service's domain code is written against, whichever engine is
// underneath (SQLite embedded, or PostgreSQL shared by replicas): sessions that run SQL in
// SQLite's dialect, Transact/Read, numbered migrations, commit listeners and the
// before-commit hook. The engines are in sqlite.h and postgres.h; open_database.h picks one
// from a --db target.
#ifndef OMS_PLATFORM_STORAGE_DATABASE_H_
#define OMS_PLATFORM_STORAGE_DATABASE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace oms {

// One bound parameter: NULL, an integer, text or a blob. Holds a view; the caller keeps the
// data alive for the call.
class SqlArg {
 public:
  enum class Kind { kNull, kInt, kText, kBlob };

  SqlArg(std::nullptr_t) : kind_(Kind::kNull) {}                  // NOLINT: implicit by design
  SqlArg(int v) : kind_(Kind::kInt), int_(v) {}                   // NOLINT
  SqlArg(int64_t v) : kind_(Kind::kInt), int_(v) {}               // NOLINT
  SqlArg(bool v) : kind_(Kind::kInt), int_(v ? 1 : 0) {}          // NOLINT
  SqlArg(absl::string_view v) : kind_(Kind::kText), text_(v) {}   // NOLINT
  SqlArg(const std::string& v) : kind_(Kind::kText), text_(v) {}  // NOLINT
  SqlArg(const char* v) : kind_(Kind::kText), text_(v) {}         // NOLINT
  static SqlArg Blob(absl::string_view bytes) {
    SqlArg arg(bytes);
    arg.kind_ = Kind::kBlob;
    return arg;
  }

  Kind kind() const { return kind_; }
  int64_t int_value() const { return int_; }
  // The text or the blob's bytes.
  absl::string_view bytes() const { return text_; }

 private:
  Kind kind_;
  int64_t int_ = 0;
  absl::string_view text_;
};

// What an engine implements to hand out the rows of one query.
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  virtual absl::StatusOr<bool> Next() = 0;
  virtual int64_t Int(int column) const = 0;
  virtual std::string Text(int column) const = 0;
  virtual std::string Blob(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int columns() const = 0;
};

// The rows of one query, read in order. Columns are 0-based. Valid until the Session's
// transaction ends. Not thread-safe.
class Rows {
 public:
  explicit Rows(std::unique_ptr<RowCursor> cursor) : cursor_(std::move(cursor)) {}

  // Steps to the next row: true if there is one, false at the end.
  absl::StatusOr<bool> Next() { return cursor_->Next(); }
  int64_t Int(int column) const { return cursor_->Int(column); }
  std::string Text(int column) const { return cursor_->Text(column); }
  std::string Blob(int column) const { return cursor_->Blob(column); }
  bool IsNull(int column) const { return cursor_->IsNull(column); }
  int columns() const { return cursor_->columns(); }

 private:
  std::unique_ptr<RowCursor> cursor_;
};

enum class Engine { kSqlite, kPostgres };

// What a write transaction's commit must have reached before Transact answers.
enum class Durability {
  // The disk, as DatabaseOptions::durable_commits says (by default: survives power loss).
  kDurable,
  // The engine, not yet the disk: a power loss or kernel crash may take back the last such
  // commits (a killed process does not). Only for state that is rebuilt from elsewhere when
  // lost: a projection of another service's events together with its feed cursor, which
  // rolls back with it, so the events are applied again. Never for anything answered to a
  // caller, nor for outbox events (Outbox::Append refuses them: a reader may already have
  // seen a number that would be handed out again).
  kReplayable,
};

// Access to the store inside one transaction. SQL is written in SQLite's dialect with `?`
// placeholders; the PostgreSQL engine translates it (postgres_dialect.h). Not thread-safe;
// never outlives its transaction.
class Session {
 public:
  virtual ~Session() = default;
  // Runs a statement that returns no rows; answers the number of rows changed.
  virtual absl::StatusOr<int64_t> Exec(absl::string_view sql,
                                       absl::Span<const SqlArg> args = {}) = 0;
  virtual absl::StatusOr<Rows> Query(absl::string_view sql, absl::Span<const SqlArg> args = {}) = 0;
  // Runs several ';'-separated statements without parameters (schema scripts).
  virtual absl::Status ExecScript(absl::string_view sql) = 0;
  // A script in the engine's own dialect, not translated (Migration::PerEngine).
  virtual absl::Status ExecNativeScript(absl::string_view sql) = 0;
  // Holds the lock called `name` until this transaction ends, so that transactions taking
  // it commit one at a time from that point on (the outbox: sequence numbers commit in
  // order). Free on SQLite, where writers take turns anyway.
  virtual absl::Status LockUntilCommit(absl::string_view name) = 0;
  // Whether this transaction has changed a row so far (INSERT, UPDATE, DELETE), so that a
  // caller can leave out a write that only matters when something else was written. A
  // statement counts once it is done (a Query's Rows read to the end or gone).
  virtual bool HasChanges() const = 0;

  // Calls `fn` for each row of a query, stopping at the first error.
  absl::Status ForEachRow(absl::string_view sql, absl::Span<const SqlArg> args,
                          absl::FunctionRef<absl::Status(const Rows&)> fn);

  // What this transaction's commit will reach (Durability); reads answer kDurable.
  Durability durability() const { return durability_; }

 protected:
  void set_durability(Durability durability) { durability_ = durability; }

 private:
  Durability durability_ = Durability::kDurable;
};

// One numbered schema change: written once in SQLite's dialect (the PostgreSQL engine
// translates it), or once per engine where the two differ beyond translation (triggers).
class Migration {
 public:
  Migration(const char* sql) : sqlite_(sql), postgres_(sql) {}         // NOLINT: implicit
  Migration(const std::string& sql) : sqlite_(sql), postgres_(sql) {}  // NOLINT
  // Each text in its engine's own dialect, run as written.
  static Migration PerEngine(std::string sqlite, std::string postgres) {
    Migration migration(std::move(sqlite));
    migration.postgres_ = std::move(postgres);
    migration.native_ = true;
    return migration;
  }
  const std::string& For(Engine engine) const {
    return engine == Engine::kSqlite ? sqlite_ : postgres_;
  }
  bool native() const { return native_; }

 private:
  std::string sqlite_;
  std::string postgres_;
  bool native_ = false;
};

struct DatabaseOptions {
  // SQLite: how long a writer waits for another process's lock.
  absl::Duration busy_timeout = absl::Seconds(5);
  // SQLite: true (the default): the WAL is fsynced before a commit is acknowledged or read,
  // so it survives power loss and kernel crashes; the fsync runs after the connection is
  // released and covers every group committed before it (wal_sync.h). false: no fsync per
  // commit (synchronous=NORMAL alone), survives a killed process but may lose the last
  // acknowledged commits when the machine loses power.
  bool durable_commits = true;
  // SQLite: at most this many write transactions share one COMMIT (group commit).
  int max_commit_group = 64;
  // SQLite: a WAL of this many pages is checkpointed by a background thread (0: by SQLite,
  // inside the commit that crosses 1000 pages).
  int checkpoint_pages = 2048;
  // Tests: every write transaction first runs once and is rolled back, then runs for real,
  // as a PostgreSQL retry would make it. Catches Transact functions that are not safe to
  // run twice (they accumulate into a response) on the engine where that is cheap to do.
  bool rehearse_writes = false;
  // PostgreSQL: connections held open to the server.
  int pool_size = 8;
  // PostgreSQL: attempts of a write transaction that meets a serialization failure or a
  // deadlock before the call answers ABORTED.
  int max_attempts = 12;
  // PostgreSQL: write transactions of every replica take turns (a session advisory lock of
  // the store, taken before BEGIN so each one's snapshot follows the last commit), as
  // SQLite's writers do. Contended rows (the last units of a product) then queue instead
  // of failing serialization again and again; SERIALIZABLE stays as the safety net.
  bool serialize_writes = true;
};

// A claim one process holds on a named job (a sweep, a feed consumer, the courier) so that
// of several replicas on one store only one runs it. Held until destroyed, or until the
// process or its connection to the store dies.
class JobLease {
 public:
  virtual ~JobLease() = default;
  // False once the claim may have passed to another replica (the connection that holds it
  // broke): the job must stop.
  virtual bool held() = 0;
};

// One service's store. Thread-safe.
//
// Transact(fn) runs `fn` as one write transaction. On SQLite writers take turns (one write
// lock); on PostgreSQL they run at once under SERIALIZABLE and a transaction that would
// break serial order is rolled back and `fn` runs again. So `fn` may run more than once: it
// must only touch the store and variables it (re)assigns, never accumulate into state
// outside the attempt.
class Database {
 public:
  virtual ~Database() = default;

  // Begin, `fn`, commit. A non-OK status from `fn`, or a failed commit, rolls everything
  // back: no partial writes.
  absl::Status Transact(absl::FunctionRef<absl::Status(Session&)> fn) {
    return Transact(fn, Durability::kDurable);
  }
  // The same, answered once the commit has reached what `durability` says.
  virtual absl::Status Transact(absl::FunctionRef<absl::Status(Session&)> fn,
                                Durability durability) = 0;
  // A read-only transaction on one consistent snapshot. Its writes are never kept.
  virtual absl::Status Read(absl::FunctionRef<absl::Status(Session&)> fn) = 0;

  virtual Engine engine() const = 0;
  // Drops the copies of changed or deleted rows the engine still holds beside the live ones
  // (after erasing a customer): SQLite empties its WAL file; PostgreSQL leaves dead row
  // versions to autovacuum.
  virtual absl::Status ForgetOldVersions() { return absl::OkStatus(); }
  // Where the store is, for GetServiceInfo and logs (a path, or a connection string without
  // its password).
  virtual std::string path() const = 0;

  // Applies the not-yet-applied entries of `migrations` for `component`; migrations[i] is
  // version i+1. Each runs in its own transaction together with its version bump, so a crash
  // mid-way leaves a consistent, resumable store. A store newer than the binary is an error.
  // Replicas starting together apply each migration once.
  absl::Status Migrate(absl::string_view component, const std::vector<Migration>& migrations);
  absl::StatusOr<std::map<std::string, int64_t>> SchemaVersions();

  // Called after every commit that may have changed the store, outside the store's locks:
  // this process's commits and, on PostgreSQL, other replicas' (wakes event-feed watchers).
  // Listeners must be quick and must not add or remove listeners. Answers an id for
  // RemoveCommitListener, after which the listener is never called again (so what it
  // captures may go).
  int AddCommitListener(std::function<void()> listener);
  void RemoveCommitListener(int id);
  // Runs inside every write transaction that changed rows, just before COMMIT; an error
  // rolls the transaction back. Set once, before the store is shared (the audit log).
  void SetBeforeCommit(std::function<absl::Status(Session&)> hook) {
    before_commit_ = std::move(hook);
  }

  // Write transactions committed since the store was opened.
  int64_t commits() const { return commits_.load(std::memory_order_relaxed); }
  // SQLite: COMMITs, each of one or more write transactions (group commit), and fsyncs of
  // the WAL made for durable commits. 0 on PostgreSQL, whose server does both.
  virtual int64_t commit_groups() const { return 0; }
  virtual int64_t wal_syncs() const { return 0; }

  // A fault after which the store cannot be trusted until the process restarts (SQLite: an
  // fsync of its WAL failed, wal_sync.h), or OK. Every later call of the store fails too.
  absl::Status fault() const;
  // Called once, when the store faults, outside the store's locks (StoreFaultWatch: health
  // goes NOT_SERVING and the process exits for its supervisor to restart it). Replaces any earlier
  // listener; nullptr removes it.
  void SetFaultListener(std::function<void(const absl::Status&)> listener);

  // A lease on job `name`, or nullptr while another holder has it. On SQLite one process
  // owns the store, so only holders within this process compete; PostgreSQL leases are
  // session advisory locks, which the server drops with the session of a replica that dies.
  virtual absl::StatusOr<std::unique_ptr<JobLease>> TryLease(absl::string_view name);

 protected:
  // Creates the schema_version table; engines call it once open.
  absl::Status CreateSchemaTable();
  // Runs `fn` while no other process migrates this store.
  virtual absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> fn) { return fn(); }
  absl::Status RunBeforeCommit(Session& session) {
    return before_commit_ ? before_commit_(session) : absl::OkStatus();
  }
  // Counts a write transaction's COMMIT and how long the COMMIT took (GetServiceInfo and
  // the oms_store_commit* metrics).
  void CountCommit(absl::Duration took);
  void CountFailedCommit();
  void NotifyCommitListeners();
  // The engine met a fault that needs a restart: kept (the first one) and told once.
  void ReportFault(const absl::Status& status);

 private:
  std::atomic<int64_t> commits_{0};
  std::function<absl::Status(Session&)> before_commit_;
  absl::Mutex leases_mu_;
  std::set<std::string> leased_ ABSL_GUARDED_BY(leases_mu_);  // this process's held names
  absl::Mutex listeners_mu_;
  std::map<int, std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  int next_listener_ ABSL_GUARDED_BY(listeners_mu_) = 0;
  mutable absl::Mutex fault_mu_;
  absl::Status fault_ ABSL_GUARDED_BY(fault_mu_);
  std::function<void(const absl::Status&)> fault_listener_ ABSL_GUARDED_BY(fault_mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_DATABASE_H_
