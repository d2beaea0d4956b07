#ifndef OMS_PLATFORM_STORAGE_POSTGRES_LIBPQ_H_
#define OMS_PLATFORM_STORAGE_POSTGRES_LIBPQ_H_

// The libpq pieces the PostgreSQL engine's files share: connecting, results, and mapping a
// server error to a status. Internal to platform/storage.

#include <postgresql/libpq-fe.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace oms {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Maps a failed result to the closest absl code. Serialization failures and deadlocks set
// `retry`: the whole transaction may succeed if run again.
absl::Status PgError(PGconn* conn, const PGresult* result, absl::string_view what,
                     bool* retry = nullptr);

bool Succeeded(const PGresult* result);

// The advisory-lock key named by `name_sql` (an SQL text expression) in the store's schema.
// Every lock the engine takes (writers' turns, migrations, job leases, LockUntilCommit) is
// named this one way, so two kinds can never collide and schemas stay apart.
std::string AdvisoryKey(absl::string_view name_sql);

// A new connection to `target` (URL or key=value), with a connect timeout; UNAVAILABLE
// when the server cannot be reached.
absl::StatusOr<PGconn*> ConnectTo(const std::string& target);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_POSTGRES_LIBPQ_H_
