#ifndef OMS_PLATFORM_STORAGE_SQLITE_H_
#define OMS_PLATFORM_STORAGE_SQLITE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "platform/storage/wal_checkpointer.h"

struct sqlite3;
struct sqlite3_stmt;

namespace oms {

// One bound parameter: NULL, an integer, text or a blob. Holds a view; the caller keeps the
// data alive for the call.
class SqlArg {
 public:
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

 private:
  friend class Session;
  enum class Kind { kNull, kInt, kText, kBlob };
  Kind kind_;
  int64_t int_ = 0;
  absl::string_view text_;
};

// The rows of one query, read in order. Columns are 0-based. Valid until the Session's
// transaction ends. Not thread-safe.
class Rows {
 public:
  Rows(Rows&& other) noexcept;
  Rows& operator=(Rows&&) = delete;
  ~Rows();

  // Steps to the next row: true if there is one, false at the end.
  absl::StatusOr<bool> Next();
  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;
  int columns() const;

 private:
  friend class Session;
  Rows(sqlite3* db, sqlite3_stmt* stmt, bool owned, bool* in_use);
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool owned_;    // not from the cache: finalize instead of reset
  bool* in_use_;  // the cache's flag for this statement, or nullptr
};

// Access to the connection inside one transaction (see Transaction). Statements are
// prepared once per connection and reused. Not thread-safe; never outlives its transaction.
class Session {
 public:
  ~Session();
  // Runs a statement that returns no rows; answers the number of rows changed.
  absl::StatusOr<int64_t> Exec(absl::string_view sql, absl::Span<const SqlArg> args = {});
  absl::StatusOr<Rows> Query(absl::string_view sql, absl::Span<const SqlArg> args = {});
  // Calls `fn` for each row of a query, stopping at the first error.
  absl::Status ForEachRow(absl::string_view sql, absl::Span<const SqlArg> args,
                          absl::FunctionRef<absl::Status(const Rows&)> fn);
  // Runs several ';'-separated statements without parameters (schema scripts).
  absl::Status ExecScript(absl::string_view sql);
  int64_t LastInsertRowId() const;

 private:
  friend class Database;
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  explicit Session(sqlite3* db) : db_(db) {}
  absl::StatusOr<Rows> Prepare(absl::string_view sql, absl::Span<const SqlArg> args);
  void ResetAll();

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache_;
};

class Database;

// An open transaction: it holds the store's connection, and so its lock, until Commit() or
// until it goes out of scope, which rolls back whatever was not committed. Move-only. Not
// thread-safe.
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept : db_(other.db_), write_(other.write_) {
    other.db_ = nullptr;
  }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Session& session();
  // Commits a write transaction (a read transaction simply ends). After a failed commit
  // everything is rolled back. Either way the transaction is over.
  absl::Status Commit();

 private:
  friend class Database;
  Transaction(Database* db, bool write) : db_(db), write_(write) {}
  Database* db_;  // nullptr once over
  bool write_;
};

struct DatabaseOptions {
  absl::Duration busy_timeout = absl::Seconds(5);
  // WAL with synchronous=NORMAL survives a killed process (every acknowledged commit is in
  // the WAL); FULL also survives power loss at the cost of an fsync per commit.
  bool fsync_every_commit = false;
  // A WAL of this many pages is checkpointed by a background thread (0: by SQLite, inside
  // the commit that crosses 1000 pages).
  int checkpoint_pages = 2048;
};

// One SQLite store: WAL, busy timeout, foreign keys, numbered migrations. A single
// connection serialised by a mutex: SQLite allows one writer at a time anyway, and one
// connection keeps prepared statements warm. Thread-safe.
class Database {
 public:
  // Opens (creating if needed) `path`; ":memory:" for a private in-memory store.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const DatabaseOptions& options = {});
  ~Database();

  // Applies the not-yet-applied entries of `migrations` for `component`; migrations[i] is
  // version i+1. Each runs in its own transaction together with its version bump, so a crash
  // mid-way leaves a consistent, resumable store. A store newer than the binary is an error.
  absl::Status Migrate(absl::string_view component, const std::vector<std::string>& migrations);
  absl::StatusOr<std::map<std::string, int64_t>> SchemaVersions();

  // BEGIN IMMEDIATE: takes the write lock now, so the transaction cannot fail later for
  // lack of it. Blocks while another transaction of this store is open.
  absl::StatusOr<Transaction> Begin();
  // A read transaction: a consistent snapshot. Its writes are never kept.
  absl::StatusOr<Transaction> BeginRead();

  // Begin(), `fn`, Commit(). A non-OK status from `fn`, or a failed commit, rolls everything
  // back: no partial writes.
  absl::Status Transact(absl::FunctionRef<absl::Status(Session&)> fn);
  // BeginRead(), `fn`, end.
  absl::Status Read(absl::FunctionRef<absl::Status(Session&)> fn);

  // Called after every successful commit, outside the lock (wakes event-feed watchers).
  void AddCommitListener(std::function<void()> listener);
  // Runs inside every write transaction that changed rows, just before COMMIT; an error
  // rolls the transaction back. Set once, before the store is shared (the audit log).
  void SetBeforeCommit(std::function<absl::Status(Session&)> hook) {
    before_commit_ = std::move(hook);
  }

  const std::string& path() const { return path_; }
  // Write transactions committed since the store was opened.
  int64_t commits() const { return commits_.load(std::memory_order_relaxed); }

 private:
  friend class Transaction;
  Database(sqlite3* db, std::string path);
  // The lock is taken here and released in End(): held by the Transaction in between,
  // which the static analysis cannot follow.
  absl::StatusOr<Transaction> BeginWith(const char* sql, bool write) ABSL_NO_THREAD_SAFETY_ANALYSIS;
  // Ends the open transaction (commit or roll back) and releases the lock.
  absl::Status End(bool commit, bool write) ABSL_NO_THREAD_SAFETY_ANALYSIS;

  const std::string path_;
  // Held from Begin*() until the Transaction ends; db_ and session_ are used only then.
  absl::Mutex mu_;
  sqlite3* db_;
  std::unique_ptr<Session> session_;
  int64_t changes_at_begin_ = 0;
  std::atomic<int64_t> commits_{0};
  std::function<absl::Status(Session&)> before_commit_;
  std::unique_ptr<WalCheckpointer> checkpointer_;
  absl::Mutex listeners_mu_;
  std::vector<std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
};

// Maps a SQLite result code to the closest absl code (UNIQUE -> ALREADY_EXISTS, BUSY ->
// UNAVAILABLE, ...), with SQLite's message.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_H_
