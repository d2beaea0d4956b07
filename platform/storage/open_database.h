// Opens a service's store from its --db target: a PostgreSQL URL (postgresql://...) or
// libpq key=value string selects PostgreSQL; anything else is a SQLite file path.
#ifndef OMS_PLATFORM_STORAGE_OPEN_DATABASE_H_
#define OMS_PLATFORM_STORAGE_OPEN_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/storage/database.h"

namespace oms {

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const std::string& target,
                                                       const DatabaseOptions& options = {});

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_OPEN_DATABASE_H_
