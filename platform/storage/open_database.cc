#include "platform/storage/open_database.h"

#include "platform/storage/postgres.h"
#include "platform/storage/sqlite.h"

namespace oms {

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const std::string& target,
                                                       const DatabaseOptions& options) {
  if (IsPostgresTarget(target)) return PostgresDatabase::Open(target, options);
  return SqliteDatabase::Open(target, options);
}

}  // namespace oms
