// The statements a store runs around every transaction (BEGIN, SAVEPOINT, RELEASE, COMMIT,
// ROLLBACK), prepared once per connection. sqlite3_exec would parse
// each again on every call: about 2% of the suite's CPU per order, half of it in malloc
// (docs/BENCHMARKS.md, "Transaction statements prepared once").
#ifndef OMS_PLATFORM_STORAGE_SQLITE_CONTROL_H_
#define OMS_PLATFORM_STORAGE_SQLITE_CONTROL_H_

#include <string>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace oms {

// Not thread-safe: used under the connection's lock, like the connection itself.
class SqliteControlStatements {
 public:
  explicit SqliteControlStatements(sqlite3* db) : db_(db) {}
  ~SqliteControlStatements();  // finalizes: the connection cannot close with them open
  SqliteControlStatements(const SqliteControlStatements&) = delete;
  SqliteControlStatements& operator=(const SqliteControlStatements&) = delete;

  // Runs one statement without rows, preparing it the first time this SQL is seen. Answers
  // SQLite's result code (SQLITE_OK when it ran); sqlite3_errmsg says why it did not.
  int Run(const char* sql);

  // Statements prepared so far, for tests.
  int prepared() const { return static_cast<int>(statements_.size()); }

 private:
  sqlite3* db_;
  // A handful of entries: a linear search is cheaper than hashing the SQL.
  std::vector<std::pair<std::string, sqlite3_stmt*>> statements_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_CONTROL_H_
