// The SQLite engine of the store interface (database.h): the embedded default.
#ifndef OMS_PLATFORM_STORAGE_SQLITE_H_
#define OMS_PLATFORM_STORAGE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/storage/database.h"
#include "platform/storage/wal_checkpointer.h"

struct sqlite3;
struct sqlite3_stmt;

namespace oms {

class SqliteSession;

// A store in one SQLite file: WAL, busy timeout, foreign keys. A single connection
// serialised by a mutex: SQLite allows one writer at a time anyway, and one connection keeps
// prepared statements warm. Thread-safe.
class SqliteDatabase : public Database {
 public:
  // Opens (creating if needed) `path`; ":memory:" for a private in-memory store.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& path,
                                                        const DatabaseOptions& options = {});
  ~SqliteDatabase() override;

  // BEGIN IMMEDIATE: takes the write lock first, so the transaction cannot fail later for
  // lack of it; blocks while another transaction of this store is open.
  absl::Status Transact(absl::FunctionRef<absl::Status(Session&)> fn) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Session&)> fn) override;
  Engine engine() const override { return Engine::kSqlite; }
  absl::Status ForgetOldVersions() override;
  std::string path() const override { return path_; }

 private:
  SqliteDatabase(sqlite3* db, std::string path, bool rehearse_writes);
  // Ends the open transaction (commit or roll back); the caller holds mu_.
  absl::Status End(bool commit, bool write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Run(const char* begin, bool write, absl::FunctionRef<absl::Status(Session&)> fn);

  const std::string path_;
  const bool rehearse_writes_;
  // Held for the whole of a transaction; db_ and session_ are used only then.
  absl::Mutex mu_;
  sqlite3* db_;
  std::unique_ptr<SqliteSession> session_ ABSL_GUARDED_BY(mu_);
  int64_t changes_at_begin_ ABSL_GUARDED_BY(mu_) = 0;
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

// Maps a SQLite result code to the closest absl code (UNIQUE -> ALREADY_EXISTS, BUSY ->
// UNAVAILABLE, ...), with SQLite's message.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_H_
