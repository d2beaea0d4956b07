// The PostgreSQL engine of the store interface (database.h), on libpq: what lets several
// replicas of a service share one store. docs/SCALING.md says how it is deployed.
#ifndef OMS_PLATFORM_STORAGE_POSTGRES_H_
#define OMS_PLATFORM_STORAGE_POSTGRES_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/storage/database.h"

namespace oms {

class PgConnection;
class PgLeases;

// A store in one PostgreSQL database (or one schema of it: `options=-csearch_path=name` in
// the target). Thread-safe.
//
// Write transactions run SERIALIZABLE on a pool of connections; one that meets a
// serialization failure or a deadlock is rolled back and run again (bounded, with jittered
// backoff), so the stores keep the one-writer-at-a-time reasoning they were written with.
// A transaction that still cannot commit answers ABORTED; a server that cannot be reached
// answers UNAVAILABLE, and the pool reconnects when it is back. Commits wake listeners in
// every replica through LISTEN/NOTIFY.
class PostgresDatabase : public Database {
 public:
  // `target`: a postgresql:// URL or a libpq key=value string.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& target,
                                                        const DatabaseOptions& options = {});
  ~PostgresDatabase() override;

  using Database::Transact;
  // kReplayable: synchronous_commit is off for the transaction (PostgreSQL's own switch for
  // commits whose loss in a server crash is acceptable).
  absl::Status Transact(absl::FunctionRef<absl::Status(Session&)> fn,
                        Durability durability) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Session&)> fn) override;
  Engine engine() const override { return Engine::kPostgres; }
  std::string path() const override { return description_; }

  absl::StatusOr<std::unique_ptr<JobLease>> TryLease(absl::string_view name) override;

  // Transactions run again after a serialization failure or deadlock, since open.
  int64_t retries() const { return retries_.load(std::memory_order_relaxed); }

 protected:
  absl::Status WithMigrationLock(absl::FunctionRef<absl::Status()> fn) override;

 private:
  PostgresDatabase(std::string target, std::string description, const DatabaseOptions& options);
  absl::StatusOr<std::unique_ptr<PgConnection>> Acquire();
  void Release(std::unique_ptr<PgConnection> connection);
  // One attempt: begin, `fn`, the before-commit hook, commit. Sets `retry` when the
  // attempt failed in a way another attempt may not.
  absl::Status Attempt(PgConnection& connection, bool write, Durability durability,
                       absl::FunctionRef<absl::Status(Session&)> fn, bool& retry);
  // The attempt itself, once the writers' turn (DatabaseOptions::serialize_writes) is ours.
  absl::Status AttemptLocked(PgConnection& connection, bool write, Durability durability,
                             absl::FunctionRef<absl::Status(Session&)> fn, bool& retry);
  absl::Status Run(bool write, Durability durability, absl::FunctionRef<absl::Status(Session&)> fn);
  void Listen();

  const std::string target_;
  const std::string description_;
  const DatabaseOptions options_;
  std::string channel_;  // NOTIFY channel of this store (schema-qualified)
  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(pool_mu_);
  int open_ ABSL_GUARDED_BY(pool_mu_) = 0;
  std::atomic<int64_t> retries_{0};
  std::atomic<bool> stopping_{false};
  std::thread listener_;
  std::unique_ptr<PgLeases> leases_;
};

// True when `target` names a PostgreSQL store rather than a SQLite file.
bool IsPostgresTarget(const std::string& target);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_POSTGRES_H_
