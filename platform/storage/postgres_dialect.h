// Where SQLite's dialect and PostgreSQL's differ, in one place: the stores write SQL once,
// in SQLite's dialect, and the PostgreSQL engine passes every statement through here.
//
//   `?` placeholders                 -> $1, $2, ...
//   INSERT OR IGNORE INTO ...        -> INSERT INTO ... ON CONFLICT DO NOTHING
//   INTEGER PRIMARY KEY AUTOINCREMENT-> BIGSERIAL PRIMARY KEY   (in CREATE/ALTER only)
//   INTEGER / BLOB / REAL            -> BIGINT / BYTEA / DOUBLE PRECISION (in CREATE/ALTER)
//   INDEXED BY name, NOT INDEXED     -> (dropped: SQLite planner hints)
//
// SQLite integers are 64-bit, so INTEGER becomes BIGINT. What has no mechanical translation
// (INSERT OR REPLACE, which needs the conflict target; triggers) is refused with an error
// that says what to write instead; such SQL is written portably or per engine (Migration).
#ifndef OMS_PLATFORM_STORAGE_POSTGRES_DIALECT_H_
#define OMS_PLATFORM_STORAGE_POSTGRES_DIALECT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace oms {

// Translates one statement or a ';'-separated script.
absl::StatusOr<std::string> ToPostgres(absl::string_view sql);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_POSTGRES_DIALECT_H_
