#ifndef OMS_PLATFORM_STORAGE_POSTGRES_LEASE_H_
#define OMS_PLATFORM_STORAGE_POSTGRES_LEASE_H_

// Job leases of one PostgreSQL store (Database::TryLease): session advisory locks, all on
// one connection of their own, so a replica that dies (or loses its connection) gives every
// lease it held back at once. Internal to platform/storage.

#include <postgresql/libpq-fe.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "platform/storage/database.h"

namespace oms {

// Must outlive the leases it hands out. Thread-safe.
class PgLeases {
 public:
  explicit PgLeases(std::string target) : target_(std::move(target)) {}
  ~PgLeases();

  absl::StatusOr<std::unique_ptr<JobLease>> TryLease(absl::string_view name);

 private:
  friend class PgLease;
  // Whether locks taken on connection `generation` are still held: the same connection,
  // and it answers.
  bool Held(int64_t generation);
  void Release(const std::string& key, int64_t generation);
  // The lock key of job `name` in this store's schema, as SQL.
  absl::StatusOr<std::string> KeySql(absl::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Drop() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string target_;
  absl::Mutex mu_;
  PGconn* conn_ ABSL_GUARDED_BY(mu_) = nullptr;
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;  // moves on with every new connection
  // Keys this process holds: advisory locks are re-entrant within one session, so a second
  // holder in the same process must be refused here.
  std::set<std::string> held_ ABSL_GUARDED_BY(mu_);
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_POSTGRES_LEASE_H_
