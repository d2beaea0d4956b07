#include "platform/storage/postgres.h"

#include <poll.h>
#include <postgresql/libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/base/background_thread.h"
#include "platform/base/status.h"
#include "platform/storage/postgres_dialect.h"
#include "platform/storage/postgres_lease.h"
#include "platform/storage/postgres_libpq.h"

namespace oms {
namespace {

// Type OIDs of bound parameters (pg_type.dat). Text goes as "unknown" (0) so the server
// takes the column's type, as SQLite's loose typing lets the stores expect.
constexpr Oid kInt8Oid = 20;
constexpr Oid kByteaOid = 17;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// The rows of one statement, all received (libpq's default).
class PgCursor : public RowCursor {
 public:
  explicit PgCursor(Result result) : result_(std::move(result)), rows_(PQntuples(result_.get())) {}

  absl::StatusOr<bool> Next() override { return ++row_ < rows_; }
  int64_t Int(int column) const override {
    const char* value = PQgetvalue(result_.get(), row_, column);
    if (value[0] == 't' && value[1] == '\0') return 1;  // a boolean expression
    if (value[0] == 'f' && value[1] == '\0') return 0;
    return std::strtoll(value, nullptr, 10);  // numeric (SUM of bigint) stops at the point
  }
  std::string Text(int column) const override {
    return std::string(PQgetvalue(result_.get(), row_, column),
                       PQgetlength(result_.get(), row_, column));
  }
  std::string Blob(int column) const override {
    // bytea in text form: \x followed by two hex digits per byte.
    const char* value = PQgetvalue(result_.get(), row_, column);
    int length = PQgetlength(result_.get(), row_, column);
    if (length < 2 || value[0] != '\\' || value[1] != 'x') return std::string(value, length);
    std::string bytes((length - 2) / 2, '\0');
    for (size_t i = 0; i < bytes.size(); ++i) {
      bytes[i] = static_cast<char>(HexDigit(value[2 + 2 * i]) << 4 | HexDigit(value[3 + 2 * i]));
    }
    return bytes;
  }
  bool IsNull(int column) const override { return PQgetisnull(result_.get(), row_, column); }
  int columns() const override { return PQnfields(result_.get()); }

 private:
  Result result_;
  int rows_;
  int row_ = -1;
};

}  // namespace

// One connection and the statements prepared on it.
class PgConnection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() { PQfinish(conn_); }
  PGconn* get() { return conn_; }
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

  // Runs a statement without parameters (transaction control, scripts).
  absl::Status Simple(const std::string& sql, bool* retry = nullptr) {
    Result result(PQexec(conn_, sql.c_str()));
    if (!Succeeded(result.get())) return PgError(conn_, result.get(), sql, retry);
    return absl::OkStatus();
  }

  // Prepares `sql` (translated) once per connection and parameter types, then runs it.
  absl::StatusOr<Result> Execute(absl::string_view sql, absl::Span<const SqlArg> args, bool* retry);

 private:
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL + types -> statement name
};

absl::StatusOr<Result> PgConnection::Execute(absl::string_view sql, absl::Span<const SqlArg> args,
                                             bool* retry) {
  std::string key(sql);
  key.push_back('\x1f');
  for (const SqlArg& arg : args)
    key.push_back(static_cast<char>('0' + static_cast<int>(arg.kind())));
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    OMS_ASSIGN_OR_RETURN(std::string translated, ToPostgres(sql));
    std::vector<Oid> types;
    for (const SqlArg& arg : args) {
      types.push_back(arg.kind() == SqlArg::Kind::kInt    ? kInt8Oid
                      : arg.kind() == SqlArg::Kind::kBlob ? kByteaOid
                                                          : 0);
    }
    std::string name = absl::StrCat("s", prepared_.size());
    Result prepared(PQprepare(conn_, name.c_str(), translated.c_str(),
                              static_cast<int>(types.size()), types.data()));
    if (!Succeeded(prepared.get())) {
      return PgError(conn_, prepared.get(), absl::StrCat("prepare [", sql, "]"), retry);
    }
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  std::vector<std::string> text(args.size());
  std::vector<const char*> values(args.size());
  std::vector<int> lengths(args.size());
  std::vector<int> formats(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    switch (args[i].kind()) {
      case SqlArg::Kind::kNull:
        values[i] = nullptr;
        break;
      case SqlArg::Kind::kInt:
        text[i] = absl::StrCat(args[i].int_value());
        values[i] = text[i].c_str();
        break;
      case SqlArg::Kind::kText:
        text[i] = std::string(args[i].bytes());  // text format wants a terminated string
        values[i] = text[i].c_str();
        break;
      case SqlArg::Kind::kBlob:
        values[i] = args[i].bytes().data();
        lengths[i] = static_cast<int>(args[i].bytes().size());
        formats[i] = 1;
        break;
    }
  }
  Result result(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(args.size()),
                               values.data(), lengths.data(), formats.data(), 0));
  if (!Succeeded(result.get())) return PgError(conn_, result.get(), sql, retry);
  return result;
}

namespace {

// The connection inside one transaction.
class PgSession : public Session {
 public:
  PgSession(PgConnection& connection, Durability durability) : connection_(connection) {
    set_durability(durability);
  }

  absl::StatusOr<int64_t> Exec(absl::string_view sql, absl::Span<const SqlArg> args) override {
    OMS_ASSIGN_OR_RETURN(Result result, connection_.Execute(sql, args, &retry_));
    return Count(result.get());
  }
  absl::StatusOr<Rows> Query(absl::string_view sql, absl::Span<const SqlArg> args) override {
    OMS_ASSIGN_OR_RETURN(Result result, connection_.Execute(sql, args, &retry_));
    Count(result.get());  // INSERT ... RETURNING changes rows too
    return Rows(std::make_unique<PgCursor>(std::move(result)));
  }
  absl::Status ExecScript(absl::string_view sql) override {
    OMS_ASSIGN_OR_RETURN(std::string translated, ToPostgres(sql));
    return connection_.Simple(translated, &retry_);
  }
  absl::Status ExecNativeScript(absl::string_view sql) override {
    return connection_.Simple(std::string(sql), &retry_);
  }
  absl::Status LockUntilCommit(absl::string_view name) override {
    static const std::string* const kLock =
        new std::string(absl::StrCat("SELECT pg_advisory_xact_lock(", AdvisoryKey("?"), ")"));
    return Exec(*kLock, {name}).status();
  }

  bool HasChanges() const override { return changes_ > 0; }
  int64_t changes() const { return changes_; }
  bool retry() const { return retry_; }

 private:
  int64_t Count(const PGresult* result) {
    const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
    int64_t n = tuples[0] == '\0' ? 0 : std::strtoll(tuples, nullptr, 10);
    absl::string_view command = PQcmdStatus(const_cast<PGresult*>(result));
    if (!absl::StartsWith(command, "SELECT")) changes_ += n;
    return n;
  }

  PgConnection& connection_;
  int64_t changes_ = 0;
  bool retry_ = false;
};

}  // namespace

bool IsPostgresTarget(const std::string& target) {
  return absl::StartsWith(target, "postgresql://") || absl::StartsWith(target, "postgres://") ||
         absl::StrContains(target, '=');
}

absl::StatusOr<std::unique_ptr<Database>> PostgresDatabase::Open(const std::string& target,
                                                                 const DatabaseOptions& options) {
  OMS_ASSIGN_OR_RETURN(PGconn * raw, ConnectTo(target));
  auto first = std::make_unique<PgConnection>(raw);
  std::string description = absl::StrCat("postgresql://", PQuser(raw), "@", PQhost(raw), ":",
                                         PQport(raw), "/", PQdb(raw));
  Result schema(PQexec(raw, "SELECT current_schema()"));
  if (!Succeeded(schema.get()) || PQntuples(schema.get()) != 1 || PQgetisnull(schema.get(), 0, 0)) {
    return absl::FailedPreconditionError(
        absl::StrCat(description, ": no schema to write to (does the search_path exist?)"));
  }
  std::string schema_name = PQgetvalue(schema.get(), 0, 0);
  if (schema_name != "public") absl::StrAppend(&description, "?schema=", schema_name);
  auto database = std::unique_ptr<PostgresDatabase>(
      new PostgresDatabase(target, std::move(description), options));
  database->channel_ = absl::StrCat("oms_commit_", schema_name).substr(0, 63);
  {
    absl::MutexLock lock(&database->pool_mu_);
    database->idle_.push_back(std::move(first));
    database->open_ = 1;
  }
  OMS_RETURN_IF_ERROR(database->CreateSchemaTable());
  database->listener_ = std::thread([db = database.get()] { db->Listen(); });
  return std::unique_ptr<Database>(std::move(database));
}

PostgresDatabase::PostgresDatabase(std::string target, std::string description,
                                   const DatabaseOptions& options)
    : target_(std::move(target)),
      description_(std::move(description)),
      options_(options),
      leases_(std::make_unique<PgLeases>(target_)) {}

absl::StatusOr<std::unique_ptr<JobLease>> PostgresDatabase::TryLease(absl::string_view name) {
  return leases_->TryLease(name);
}

PostgresDatabase::~PostgresDatabase() {
  stopping_ = true;
  if (listener_.joinable()) listener_.join();
  absl::MutexLock lock(&pool_mu_);
  // Waits for transactions still running (the pool gets every connection back).
  pool_mu_.Await(absl::Condition(
      +[](PostgresDatabase* db) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return static_cast<int>(db->idle_.size()) == db->open_;
      },
      this));
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<PgConnection>> PostgresDatabase::Acquire() {
  {
    absl::MutexLock lock(&pool_mu_);
    pool_mu_.Await(absl::Condition(
        +[](PostgresDatabase* db) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return !db->idle_.empty() || db->open_ < db->options_.pool_size;
        },
        this));
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;
  }
  absl::StatusOr<PGconn*> conn = ConnectTo(target_);
  if (!conn.ok()) {
    absl::MutexLock lock(&pool_mu_);
    --open_;
    return conn.status();
  }
  return std::make_unique<PgConnection>(*conn);
}

void PostgresDatabase::Release(std::unique_ptr<PgConnection> connection) {
  absl::MutexLock lock(&pool_mu_);
  if (connection->broken()) {
    --open_;  // the next Acquire connects afresh (the server restarted, say)
  } else {
    idle_.push_back(std::move(connection));
  }
}

absl::Status PostgresDatabase::Attempt(PgConnection& connection, bool write, Durability durability,
                                       absl::FunctionRef<absl::Status(Session&)> fn, bool& retry) {
  if (!write || !options_.serialize_writes)
    return AttemptLocked(connection, write, durability, fn, retry);
  const std::string key = AdvisoryKey("'writers'");
  absl::Status locked = connection.Simple(absl::StrCat("SELECT pg_advisory_lock(", key, ")"));
  if (!locked.ok()) {
    retry = connection.broken();  // nothing ran
    return locked;
  }
  absl::Status status = AttemptLocked(connection, write, durability, fn, retry);
  connection.Simple(absl::StrCat("SELECT pg_advisory_unlock(", key, ")")).IgnoreError();
  return status;
}

absl::Status PostgresDatabase::AttemptLocked(PgConnection& connection, bool write,
                                             Durability durability,
                                             absl::FunctionRef<absl::Status(Session&)> fn,
                                             bool& retry) {
  const bool replayable = write && durability == Durability::kReplayable;
  absl::Status begun = connection.Simple(
      !write       ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
      : replayable ? "BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL synchronous_commit TO OFF"
                   : "BEGIN ISOLATION LEVEL SERIALIZABLE");
  if (!begun.ok()) {
    // A pooled connection the server dropped (it restarted): nothing ran, so another
    // attempt on a fresh connection is safe.
    retry = connection.broken();
    return begun;
  }
  PgSession session(connection, replayable ? Durability::kReplayable : Durability::kDurable);
  absl::Status status = fn(session);
  if (status.ok() && write && session.changes() > 0) {
    status = RunBeforeCommit(session);
    if (status.ok()) status = connection.Simple(absl::StrCat("NOTIFY \"", channel_, "\""));
  }
  retry = session.retry();
  if (!status.ok()) {
    connection.Simple("ROLLBACK").IgnoreError();
    return status;
  }
  absl::Time started = absl::Now();
  Result result(PQexec(connection.get(), "COMMIT"));
  if (!Succeeded(result.get())) {
    if (write) CountFailedCommit();
    return PgError(connection.get(), result.get(), "commit", &retry);
  }
  if (absl::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    // A statement failed and the caller went on: PostgreSQL rolled the transaction back.
    if (write) CountFailedCommit();
    return absl::InternalError("transaction rolled back: a statement in it failed");
  }
  if (write) CountCommit(absl::Now() - started);
  return absl::OkStatus();
}

absl::Status PostgresDatabase::Run(bool write, Durability durability,
                                   absl::FunctionRef<absl::Status(Session&)> fn) {
  absl::BitGen jitter;
  for (int attempt = 1;; ++attempt) {
    OMS_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection, Acquire());
    bool retry = false;
    absl::Status status = Attempt(*connection, write, durability, fn, retry);
    Release(std::move(connection));
    if (status.ok()) {
      if (write) NotifyCommitListeners();
      return status;
    }
    if (!retry) return status;
    if (attempt >= options_.max_attempts) {
      return absl::AbortedError(
          absl::StrCat("gave up after ", attempt,
                       " attempts that conflicted with concurrent ones: ", status.message()));
    }
    retries_.fetch_add(1, std::memory_order_relaxed);
    // 1, 2, 4 ... 64 ms, each anywhere from half to one and a half times that.
    absl::Duration backoff = absl::Milliseconds(1 << std::min(attempt - 1, 6));
    absl::SleepFor(backoff * absl::Uniform(jitter, 0.5, 1.5));
  }
}

absl::Status PostgresDatabase::Transact(absl::FunctionRef<absl::Status(Session&)> fn,
                                        Durability durability) {
  return Run(/*write=*/true, durability, fn);
}

absl::Status PostgresDatabase::Read(absl::FunctionRef<absl::Status(Session&)> fn) {
  return Run(/*write=*/false, Durability::kDurable, fn);
}

absl::Status PostgresDatabase::WithMigrationLock(absl::FunctionRef<absl::Status()> fn) {
  // A session lock on a connection of its own: the migration transactions themselves run
  // on the pool and so take their snapshots after the lock is held.
  OMS_ASSIGN_OR_RETURN(PGconn * raw, ConnectTo(target_));
  PgConnection connection(raw);
  const std::string key = AdvisoryKey("'migrate'");
  OMS_RETURN_IF_ERROR(connection.Simple(absl::StrCat("SELECT pg_advisory_lock(", key, ")")));
  absl::Status status = fn();
  connection.Simple(absl::StrCat("SELECT pg_advisory_unlock(", key, ")")).IgnoreError();
  return status;
}

void PostgresDatabase::Listen() {
  BecomeBackgroundThread("pg listen");
  while (!stopping_) {
    absl::StatusOr<PGconn*> conn = ConnectTo(target_);
    if (!conn.ok()) {
      for (int i = 0; i < 5 && !stopping_; ++i) absl::SleepFor(absl::Milliseconds(100));
      continue;
    }
    PgConnection connection(*conn);
    if (!connection.Simple(absl::StrCat("LISTEN \"", channel_, "\"")).ok()) continue;
    NotifyCommitListeners();  // commits made while this connection was down
    while (!stopping_ && !connection.broken()) {
      pollfd fd{PQsocket(connection.get()), POLLIN, 0};
      if (poll(&fd, 1, /*timeout_ms=*/100) < 0) continue;
      if (!PQconsumeInput(connection.get())) break;
      bool any = false;
      while (PGnotify* notify = PQnotifies(connection.get())) {
        any = true;
        PQfreemem(notify);
      }
      if (any) NotifyCommitListeners();
    }
  }
}

}  // namespace oms
