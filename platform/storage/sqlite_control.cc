#include "platform/storage/sqlite_control.h"

#include <sqlite3.h>

namespace oms {

SqliteControlStatements::~SqliteControlStatements() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
}

int SqliteControlStatements::Run(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  for (auto& [known, prepared] : statements_) {
    if (known == sql) {
      stmt = prepared;
      break;
    }
  }
  if (stmt == nullptr) {
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return rc;
    statements_.emplace_back(sql, stmt);
  }
  int rc = sqlite3_step(stmt);
  // Reset at once: a finished COMMIT or ROLLBACK must not stay "in progress", and a
  // statement that failed keeps its error until reset.
  sqlite3_reset(stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

}  // namespace oms
