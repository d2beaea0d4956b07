#include "platform/storage/sqlite_backup.h"

#include <sqlite3.h>

#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/files.h"

namespace oms {
namespace {

// An sqlite3 handle closed on every path.
struct Handle {
  sqlite3* db = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
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

absl::Status Exec(sqlite3* db, const char* sql, const std::string& what) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return absl::OkStatus();
  std::string message = error ? error : sqlite3_errmsg(db);
  sqlite3_free(error);
  return absl::UnavailableError(absl::StrCat(what, ": ", message, " (retry later)"));
}

// Copies the store open (and, for a cut, already inside a read transaction) on `from` to
// `destination`, through a checked, synced `.partial` file.
absl::Status CopyTo(sqlite3* from, const std::string& source, const std::string& destination) {
  const std::string partial = destination + ".partial";
  std::remove(partial.c_str());
  {
    Handle to;
    if (auto s = Open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, to); !s.ok()) return s;
    sqlite3_backup* backup = sqlite3_backup_init(to.db, "main", from, "main");
    if (backup == nullptr) {
      return absl::InternalError(absl::StrCat("backup ", source, ": ", sqlite3_errmsg(to.db)));
    }
    // All pages in one step: one read transaction (the caller's, if it holds one), hence one
    // consistent snapshot.
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
      return absl::UnavailableError(
          absl::StrCat("backup ", source, ": ", sqlite3_errstr(rc), " (retry later)"));
    }
    // A snapshot restores as a plain file: no -wal beside it to carry along.
    if (auto s = Exec(to.db, "PRAGMA journal_mode=DELETE", "backup " + source); !s.ok()) return s;
    if (auto s = IntegrityCheck(to.db, partial); !s.ok()) return s;
  }
  if (auto s = SyncPath(partial); !s.ok()) return s;
  if (std::rename(partial.c_str(), destination.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("rename ", partial, " to ", destination));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status BackupDatabase(const std::string& source, const std::string& destination) {
  Handle from;
  if (auto s = Open(source, SQLITE_OPEN_READONLY, from); !s.ok()) return s;
  return CopyTo(from.db, source, destination);
}

absl::Status BackupDatabasesAtOneCut(const std::vector<std::string>& sources,
                                     const std::vector<std::string>& destinations) {
  if (sources.size() != destinations.size()) {
    return absl::InvalidArgumentError("one destination per source");
  }
  std::vector<Handle> locks(sources.size()), readers(sources.size());
  for (size_t i = 0; i < sources.size(); ++i) {
    if (auto s = Open(sources[i], SQLITE_OPEN_READWRITE, locks[i]); !s.ok()) return s;
    if (auto s = Open(sources[i], SQLITE_OPEN_READONLY, readers[i]); !s.ok()) return s;
  }
  // The cut: every write lock held, then every read snapshot begun, then the locks go.
  // Locks are taken in one order and nothing else takes two, so this cannot deadlock.
  absl::Status cut;
  size_t locked = 0;
  for (; locked < sources.size() && cut.ok(); ++locked) {
    cut = Exec(locks[locked].db, "BEGIN IMMEDIATE", "lock " + sources[locked]);
    if (!cut.ok()) break;
  }
  for (size_t i = 0; i < sources.size() && cut.ok(); ++i) {
    // A WAL reader's snapshot starts at its first read, not at BEGIN.
    cut = Exec(readers[i].db, "BEGIN; SELECT COUNT(*) FROM sqlite_master", "read " + sources[i]);
  }
  for (size_t i = 0; i < locked; ++i) Exec(locks[i].db, "ROLLBACK", "unlock").IgnoreError();
  if (!cut.ok()) return cut;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (auto s = CopyTo(readers[i].db, sources[i], destinations[i]); !s.ok()) return s;
  }
  for (Handle& reader : readers) Exec(reader.db, "COMMIT", "end read").IgnoreError();
  return absl::OkStatus();
}

absl::Status CheckDatabase(const std::string& path) {
  Handle handle;
  if (auto s = Open(path, SQLITE_OPEN_READONLY, handle); !s.ok()) return s;
  return IntegrityCheck(handle.db, path);
}

}  // namespace oms
