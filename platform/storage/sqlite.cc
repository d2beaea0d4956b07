#include "platform/storage/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/base/status.h"
#include "platform/storage/wal_write_coalescing.h"

namespace oms {

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  std::string message =
      absl::StrCat(what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return absl::AlreadyExistsError(message);
      }
      return absl::FailedPreconditionError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(message);
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return absl::FailedPreconditionError(message);
    default:
      return absl::InternalError(message);
  }
}

namespace {

// The rows of one prepared statement. A statement from the session's cache is reset and
// handed back when the rows go; one prepared for a nested use of the same SQL is finalized.
class SqliteCursor : public RowCursor {
 public:
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt, bool owned, bool* in_use)
      : db_(db), stmt_(stmt), owned_(owned), in_use_(in_use) {}
  ~SqliteCursor() override {
    if (owned_) {
      sqlite3_finalize(stmt_);
    } else {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
    if (in_use_ != nullptr) *in_use_ = false;
  }

  absl::StatusOr<bool> Next() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, rc, "step");
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return "";
    return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
  }
  std::string Blob(int column) const override {
    const void* blob = sqlite3_column_blob(stmt_, column);
    if (blob == nullptr) return "";
    return std::string(static_cast<const char*>(blob), sqlite3_column_bytes(stmt_, column));
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int columns() const override { return sqlite3_column_count(stmt_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool owned_;    // not from the cache: finalize instead of reset
  bool* in_use_;  // the cache's flag for this statement, or nullptr
};

}  // namespace

// The connection inside one transaction. Statements are prepared once per connection and
// reused.
class SqliteSession : public Session {
 public:
  explicit SqliteSession(sqlite3* db) : db_(db) {}
  ~SqliteSession() override {
    for (auto& entry : cache_) sqlite3_finalize(entry.second->stmt);
  }

  absl::StatusOr<int64_t> Exec(absl::string_view sql, absl::Span<const SqlArg> args) override {
    OMS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCursor> rows, Prepare(sql, args));
    OMS_ASSIGN_OR_RETURN(bool has_row, rows->Next());
    (void)has_row;  // statements with RETURNING are read with Query
    return static_cast<int64_t>(sqlite3_changes(db_));
  }
  absl::StatusOr<Rows> Query(absl::string_view sql, absl::Span<const SqlArg> args) override {
    OMS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteCursor> rows, Prepare(sql, args));
    return Rows(std::move(rows));
  }
  absl::Status ExecScript(absl::string_view sql) override {
    std::string script(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      absl::Status status = SqliteError(db_, rc, "script");
      sqlite3_free(error);
      return status;
    }
    return absl::OkStatus();
  }
  absl::Status ExecNativeScript(absl::string_view sql) override { return ExecScript(sql); }
  absl::Status LockUntilCommit(absl::string_view) override { return absl::OkStatus(); }
  bool HasChanges() const override { return sqlite3_total_changes64(db_) != changes_before_; }

  using Session::set_durability;

  // Changes are counted from here (the start of this transaction, or of its savepoint).
  void StartCounting() { changes_before_ = sqlite3_total_changes64(db_); }

  void ResetAll() {
    for (auto& entry : cache_) {
      if (!entry.second->in_use) sqlite3_reset(entry.second->stmt);
    }
  }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  absl::StatusOr<std::unique_ptr<SqliteCursor>> Prepare(absl::string_view sql,
                                                        absl::Span<const SqlArg> args);

  sqlite3* db_;
  int64_t changes_before_ = 0;
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> cache_;
};

absl::StatusOr<std::unique_ptr<SqliteCursor>> SqliteSession::Prepare(
    absl::string_view sql, absl::Span<const SqlArg> args) {
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  bool owned = false;
  bool* in_use = nullptr;
  auto it = cache_.find(key);
  if (it != cache_.end() && !it->second->in_use) {
    stmt = it->second->stmt;
    in_use = &it->second->in_use;
  } else {
    int rc = sqlite3_prepare_v2(db_, key.data(), static_cast<int>(key.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("prepare [", sql, "]"));
    if (it == cache_.end()) {
      auto cached = std::make_unique<CachedStatement>();
      cached->stmt = stmt;
      in_use = &cached->in_use;
      cache_.emplace(std::move(key), std::move(cached));
    } else {
      owned = true;  // the cached copy is busy (nested use of the same SQL)
    }
  }
  if (in_use != nullptr) *in_use = true;
  auto rows = std::make_unique<SqliteCursor>(db_, stmt, owned, in_use);
  int index = 1;
  for (const SqlArg& arg : args) {
    int rc = SQLITE_OK;
    absl::string_view bytes = arg.bytes();
    switch (arg.kind()) {
      case SqlArg::Kind::kNull:
        rc = sqlite3_bind_null(stmt, index);
        break;
      case SqlArg::Kind::kInt:
        rc = sqlite3_bind_int64(stmt, index, arg.int_value());
        break;
      case SqlArg::Kind::kText:
        rc = sqlite3_bind_text(stmt, index, bytes.data(), static_cast<int>(bytes.size()),
                               SQLITE_TRANSIENT);
        break;
      case SqlArg::Kind::kBlob:
        rc = sqlite3_bind_blob(stmt, index, bytes.data(), static_cast<int>(bytes.size()),
                               SQLITE_TRANSIENT);
        break;
    }
    if (rc != SQLITE_OK) return SqliteError(db_, rc, absl::StrCat("bind ", index));
    ++index;
  }
  return rows;
}

// ---- SqliteDatabase ----

absl::StatusOr<std::unique_ptr<Database>> SqliteDatabase::Open(const std::string& path,
                                                               const DatabaseOptions& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // A commit's WAL frames in one write instead of two per page (wal_write_coalescing.h).
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, WalCoalescingVfsName());
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(db, rc, absl::StrCat("open ", path));
    sqlite3_close(db);
    return status;
  }
  sqlite3_busy_timeout(db, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  // mmap: pages through a shared mapping instead of a read(2) per page miss; a 16 MiB page
  // cache (docs/BENCHMARKS.md, "SQLite page cache").
  const char* pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
      // NORMAL: COMMIT writes the WAL without syncing it; durable commits are synced after
      // the connection is released (wal_sync.h).
      " PRAGMA synchronous=NORMAL;"
      " PRAGMA mmap_size=268435456; PRAGMA cache_size=-16384;"
      // A group commit's savepoints keep the pages they change in a journal of their own;
      // kept in memory, not in a temp file created and removed per write transaction
      // (SQLite spills it to one past 64 KiB otherwise).
      " PRAGMA temp_store=MEMORY;"
      // Freed space is zeroed, so an erased customer's values do not stay behind in free
      // pages.
      " PRAGMA secure_delete=ON;";
  char* error = nullptr;
  rc = sqlite3_exec(db, pragmas, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(db, rc, absl::StrCat("configure ", path));
    sqlite3_free(error);
    sqlite3_close(db);
    return status;
  }
  auto database = std::unique_ptr<SqliteDatabase>(new SqliteDatabase(db, path, options));
  if (options.durable_commits && path != ":memory:" && !path.empty()) {
    database->wal_sync_ = std::make_unique<WalSync>(path + "-wal");
  }
  if (options.checkpoint_pages > 0 && path != ":memory:" && !path.empty()) {
    // Larger than SQLite's 1000 pages as well: the pages every commit touches (the tails
    // of the outbox, audit and key tables) are copied back once per checkpoint.
    OMS_ASSIGN_OR_RETURN(
        database->checkpointer_,
        WalCheckpointer::Start(path, options.checkpoint_pages, 4 * options.checkpoint_pages));
    database->checkpointer_->Install(db);
  }
  OMS_RETURN_IF_ERROR(database->CreateSchemaTable());
  return std::unique_ptr<Database>(std::move(database));
}

SqliteDatabase::SqliteDatabase(sqlite3* db, std::string path, const DatabaseOptions& options)
    : path_(std::move(path)),
      rehearse_writes_(options.rehearse_writes),
      max_group_(std::max(1, options.max_commit_group)),
      durable_commits_(options.durable_commits),
      db_(db),
      session_(new SqliteSession(db)),
      control_(std::make_unique<SqliteControlStatements>(db)) {}

SqliteDatabase::~SqliteDatabase() {
  absl::MutexLock lock(&mu_);  // waits for an open transaction
  if (open_group_ != nullptr) Release(*FinishGroup());
  if (checkpointer_ != nullptr) {
    sqlite3_wal_hook(db_, nullptr, nullptr);  // no commit may reach it once it is gone
    checkpointer_.reset();                    // its thread stops before the store closes
  }
  session_.reset();  // finalize statements before closing
  control_.reset();
  sqlite3_close(db_);
}

absl::Status SqliteDatabase::Exec(const char* sql) {
  int rc = control_->Run(sql);
  return rc == SQLITE_OK ? absl::OkStatus() : SqliteError(db_, rc, sql);
}

absl::Status SqliteDatabase::RunInSavepoint(absl::FunctionRef<absl::Status(Session&)> fn) {
  OMS_RETURN_IF_ERROR(Exec("SAVEPOINT oms_write"));
  if (rehearse_writes_) {
    fn(*session_).IgnoreError();
    session_->ResetAll();
    OMS_RETURN_IF_ERROR(Exec("ROLLBACK TO oms_write"));
  }
  session_->StartCounting();
  absl::Status status = fn(*session_);
  session_->ResetAll();
  if (status.ok() && session_->HasChanges()) {
    status = RunBeforeCommit(*session_);
    session_->ResetAll();
  }
  if (sqlite3_get_autocommit(db_)) return status;  // SQLite ended the whole group itself
  if (!status.ok()) Exec("ROLLBACK TO oms_write").IgnoreError();
  absl::Status released = Exec("RELEASE oms_write");
  return status.ok() ? released : status;
}

std::shared_ptr<SqliteDatabase::CommitGroup> SqliteDatabase::FinishGroup() {
  std::shared_ptr<CommitGroup> group = std::move(open_group_);
  group->members = std::exchange(group_members_, 0);
  if (group->members == 0) {
    Exec("ROLLBACK").IgnoreError();
    return group;
  }
  group->commit_started = absl::Now();
  int rc = control_->Run("COMMIT");
  if (rc == SQLITE_OK) {
    group->committed_any = true;
    commit_groups_.fetch_add(1, std::memory_order_relaxed);
    if (group->synced && wal_sync_ != nullptr) group->ticket = wal_sync_->Committed();
  } else {
    group->status = SqliteError(db_, rc, "commit");
    CountFailedCommit();
    if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK").IgnoreError();
  }
  return group;
}

void SqliteDatabase::Release(CommitGroup& group) {
  if (group.ticket > 0) {
    absl::Status durable = WaitDurable(group.ticket);
    if (!durable.ok()) group.status = durable;
  }
  if (group.committed_any) {
    absl::Duration took = absl::Now() - group.commit_started;
    for (int i = 0; i < group.members; ++i) CountCommit(took);
  }
  group.committed.Notify();
}

void SqliteDatabase::ReleaseAndTell(std::shared_ptr<CommitGroup> group) {
  if (group == nullptr) return;
  Release(*group);
  if (group->committed_any && group->status.ok()) NotifyCommitListeners();
}

void SqliteDatabase::AbandonGroup(const absl::Status& status) {
  std::shared_ptr<CommitGroup> group = std::move(open_group_);
  group_members_ = 0;
  group->status = absl::UnavailableError(
      absl::StrCat("the store rolled back a group of transactions (", status.message(),
                   "); nothing of this call was kept, retry it"));
  group->committed.Notify();
}

absl::Status SqliteDatabase::BeginGroup() {
  // IMMEDIATE: takes the write lock first, so the group cannot fail later for lack of it.
  OMS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  open_group_ = std::make_shared<CommitGroup>();
  return absl::OkStatus();
}

int64_t SqliteDatabase::LastTicket() const {
  return wal_sync_ != nullptr ? wal_sync_->last_committed() : 0;
}

absl::Status SqliteDatabase::WaitDurable(int64_t ticket) {
  absl::Status durable = wal_sync_->WaitDurable(ticket);
  if (!durable.ok()) ReportFault(durable);  // only a failed fsync fails it: final
  return durable;
}

absl::Status SqliteDatabase::Transact(absl::FunctionRef<absl::Status(Session&)> fn,
                                      Durability durability) {
  const bool synced = durable_commits_ && durability == Durability::kDurable;
  std::shared_ptr<CommitGroup> group;
  std::shared_ptr<CommitGroup> finished;  // the group this call committed, for all in it
  absl::Status own;
  int64_t seen = 0;  // the last commit this call could have read
  writers_waiting_.fetch_add(1, std::memory_order_relaxed);
  {
    absl::MutexLock lock(&mu_);
    writers_waiting_.fetch_sub(1, std::memory_order_relaxed);
    if (open_group_ == nullptr) own = BeginGroup();
    if (own.ok()) {
      group = open_group_;
      group->synced = group->synced || synced;  // one durable member makes the group sync
      session_->set_durability(durability);
      own = RunInSavepoint(fn);
      if (sqlite3_get_autocommit(db_)) {
        AbandonGroup(own);
        own = group->status;
        group = nullptr;
      }
    } else {
      group = nullptr;  // BEGIN failed: nothing ran
    }
    if (group != nullptr) {
      if (own.ok()) ++group_members_;
      bool more_coming =
          writers_waiting_.load(std::memory_order_relaxed) > 0 && group_members_ < max_group_;
      if (!more_coming) finished = FinishGroup();
    }
    seen = LastTicket();
  }
  ReleaseAndTell(std::move(finished));
  if (group == nullptr || !own.ok()) {
    // A refusal may rest on what other commits wrote: not answered before they are on disk.
    if (seen > 0) WaitDurable(seen).IgnoreError();
    return own;  // its savepoint was rolled back; the group goes on without it
  }
  group->committed.WaitForNotification();  // already notified when this call committed it
  return group->status;
}

absl::Status SqliteDatabase::Read(absl::FunctionRef<absl::Status(Session&)> fn) {
  std::shared_ptr<CommitGroup> finished;
  absl::Status status;
  int64_t seen = 0;
  {
    absl::MutexLock lock(&mu_);
    // A read sees only what is committed: an open group first.
    if (open_group_ != nullptr) finished = FinishGroup();
    status = Exec("BEGIN");
    if (status.ok()) {
      session_->set_durability(Durability::kDurable);
      session_->StartCounting();
      status = fn(*session_);
      session_->ResetAll();
      if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK").IgnoreError();
    }
    seen = LastTicket();
  }
  ReleaseAndTell(std::move(finished));
  // Nothing read is answered before it is on disk (wal_sync.h).
  if (seen > 0) {
    absl::Status durable = WaitDurable(seen);
    if (status.ok()) status = durable;
  }
  return status;
}

absl::Status SqliteDatabase::ForgetOldVersions() {
  std::shared_ptr<CommitGroup> finished;
  absl::Status status;
  {
    absl::MutexLock lock(&mu_);
    if (open_group_ != nullptr) finished = FinishGroup();
    // TRUNCATE: every WAL frame copied into the file and the WAL cut to zero bytes, so the
    // old versions of changed pages are gone from disk too.
    int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    if (rc != SQLITE_OK) status = SqliteError(db_, rc, "checkpoint (TRUNCATE) after erasure");
  }
  ReleaseAndTell(std::move(finished));
  return status;
}

}  // namespace oms
