#include "platform/storage/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace oms {
namespace {

// An sqlite3 handle closed on every path.
struct Handle {
  sqlite3* db = nullptr;
  ~Handle() { sqlite3_close(db); }
};

absl::Status Open(const std::string& path, int flags, Handle& handle) {
  int rc = sqlite3_open_v2(path.c_str(), &handle.db, flags, nullptr);
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(absl::StrCat(
        "open ", path, ": ", handle.db ? sqlite3_errmsg(handle.db) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(handle.db, 10000);
  return absl::OkStatus();
}

absl::Status IntegrityCheck(sqlite3* db, const std::string& path) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) != SQLITE_OK) {
    return absl::DataLossError(absl::StrCat(path, ": ", sqlite3_errmsg(db)));
  }
  std::string verdict;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  if (verdict != "ok")
    return absl::DataLossError(absl::StrCat(path, ": integrity check: ", verdict));
  return absl::OkStatus();
}

absl::Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", path, " to sync"));
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : absl::InternalError(absl::StrCat("fsync ", path));
}

}  // namespace

absl::Status BackupDatabase(const std::string& source, const std::string& destination) {
  const std::string partial = destination + ".partial";
  std::remove(partial.c_str());
  {
    Handle from, to;
    if (auto s = Open(source, SQLITE_OPEN_READONLY, from); !s.ok()) return s;
    if (auto s = Open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, to); !s.ok()) return s;
    sqlite3_backup* backup = sqlite3_backup_init(to.db, "main", from.db, "main");
    if (backup == nullptr) {
      return absl::InternalError(absl::StrCat("backup ", source, ": ", sqlite3_errmsg(to.db)));
    }
    // All pages in one step: one read transaction, hence one consistent snapshot.
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      return absl::UnavailableError(
          absl::StrCat("backup ", source, ": ", sqlite3_errstr(rc), " (retry later)"));
    }
    // A snapshot restores as a plain file: no -wal beside it to carry along.
    char* error = nullptr;
    if (sqlite3_exec(to.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "";
      sqlite3_free(error);
      return absl::InternalError(absl::StrCat("backup ", source, ": ", message));
    }
    if (auto s = IntegrityCheck(to.db, partial); !s.ok()) return s;
  }
  if (auto s = SyncFile(partial); !s.ok()) return s;
  if (std::rename(partial.c_str(), destination.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("rename ", partial, " to ", destination));
  }
  return absl::OkStatus();
}

absl::Status CheckDatabase(const std::string& path) {
  Handle handle;
  if (auto s = Open(path, SQLITE_OPEN_READONLY, handle); !s.ok()) return s;
  return IntegrityCheck(handle.db, path);
}

}  // namespace oms
