#include "platform/storage/database.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/metrics/registry.h"

namespace oms {

absl::Status Session::ForEachRow(absl::string_view sql, absl::Span<const SqlArg> args,
                                 absl::FunctionRef<absl::Status(const Rows&)> fn) {
  OMS_ASSIGN_OR_RETURN(Rows rows, Query(sql, args));
  while (true) {
    OMS_ASSIGN_OR_RETURN(bool more, rows.Next());
    if (!more) return absl::OkStatus();
    OMS_RETURN_IF_ERROR(fn(rows));
  }
}

namespace {

// A name in the store's set of held names, given back on destruction.
class LocalLease : public JobLease {
 public:
  LocalLease(absl::Mutex* mu, std::set<std::string>* held, std::string name)
      : mu_(mu), held_(held), name_(std::move(name)) {}
  ~LocalLease() override {
    absl::MutexLock lock(mu_);
    held_->erase(name_);
  }
  bool held() override { return true; }

 private:
  absl::Mutex* mu_;
  std::set<std::string>* held_;
  std::string name_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<JobLease>> Database::TryLease(absl::string_view name) {
  absl::MutexLock lock(&leases_mu_);
  if (!leased_.insert(std::string(name)).second) return nullptr;
  return std::make_unique<LocalLease>(&leases_mu_, &leased_, std::string(name));
}

absl::Status Database::CreateSchemaTable() {
  // Under the lock: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against itself.
  return WithMigrationLock([&] {
    return Transact([](Session& s) {
      return s.ExecScript(
          "CREATE TABLE IF NOT EXISTS schema_version ("
          "  component TEXT PRIMARY KEY,"
          "  version INTEGER NOT NULL)");
    });
  });
}

absl::Status Database::Migrate(absl::string_view component,
                               const std::vector<Migration>& migrations) {
  return WithMigrationLock([&]() -> absl::Status {
    int64_t current = 0;
    OMS_RETURN_IF_ERROR(Read([&](Session& s) -> absl::Status {
      OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT version FROM schema_version "
                                              "WHERE component = ?",
                                              {component}));
      OMS_ASSIGN_OR_RETURN(bool found, rows.Next());
      current = found ? rows.Int(0) : 0;
      return absl::OkStatus();
    }));
    if (current > static_cast<int64_t>(migrations.size())) {
      return absl::FailedPreconditionError(absl::StrCat(
          "store ", path(), " has ", component, " schema version ", current,
          " but this binary knows only ", migrations.size(), ": it was written by a newer build"));
    }
    for (int64_t version = current + 1; version <= static_cast<int64_t>(migrations.size());
         ++version) {
      OMS_RETURN_IF_ERROR(Transact([&](Session& s) -> absl::Status {
        const Migration& migration = migrations[version - 1];
        absl::Status applied = migration.native() ? s.ExecNativeScript(migration.For(engine()))
                                                  : s.ExecScript(migration.For(engine()));
        if (!applied.ok()) {
          return absl::Status(applied.code(), absl::StrCat("migration ", component, " #", version,
                                                           ": ", applied.message()));
        }
        return s
            .Exec(
                "INSERT INTO schema_version(component, version) VALUES(?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                {component, version})
            .status();
      }));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::map<std::string, int64_t>> Database::SchemaVersions() {
  std::map<std::string, int64_t> versions;
  OMS_RETURN_IF_ERROR(Read([&](Session& s) -> absl::Status {
    versions.clear();
    return s.ForEachRow("SELECT component, version FROM schema_version", {}, [&](const Rows& row) {
      versions[row.Text(0)] = row.Int(1);
      return absl::OkStatus();
    });
  }));
  return versions;
}

int Database::AddCommitListener(std::function<void()> listener) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.emplace(next_listener_, std::move(listener));
  return next_listener_++;
}

void Database::RemoveCommitListener(int id) {
  absl::MutexLock lock(&listeners_mu_);  // waits for a call in progress
  listeners_.erase(id);
}

void Database::CountCommit(absl::Duration took) {
  static metrics::CounterFamily* commits = metrics::Registry::Global().Counter(
      "oms_store_commits_total", "Write transactions committed or failed at COMMIT.", {"result"});
  static metrics::HistogramFamily* latency = metrics::Registry::Global().Histogram(
      "oms_store_commit_seconds", "Time the store took to COMMIT a write transaction.", {});
  commits_.fetch_add(1, std::memory_order_relaxed);
  commits->Add({"ok"});
  latency->Observe({}, absl::ToDoubleSeconds(took));
}

void Database::CountFailedCommit() {
  metrics::Registry::Global()
      .Counter("oms_store_commits_total", "Write transactions committed or failed at COMMIT.",
               {"result"})
      ->Add({"failed"});
}

absl::Status Database::fault() const {
  absl::MutexLock lock(&fault_mu_);
  return fault_;
}

void Database::SetFaultListener(std::function<void(const absl::Status&)> listener) {
  absl::MutexLock lock(&fault_mu_);
  fault_listener_ = std::move(listener);
}

void Database::ReportFault(const absl::Status& status) {
  absl::MutexLock lock(&fault_mu_);  // held while the listener runs: SetFaultListener waits
  if (!fault_.ok()) return;
  fault_ = status;
  if (fault_listener_) fault_listener_(status);
}

void Database::NotifyCommitListeners() {
  // Called under the lock, so that a listener removed is one no call can still reach (the
  // PostgreSQL engine calls from its LISTEN thread at any time).
  absl::MutexLock lock(&listeners_mu_);
  for (auto& [id, listener] : listeners_) listener();
}

}  // namespace oms
