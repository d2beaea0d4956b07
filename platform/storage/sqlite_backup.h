#ifndef OMS_PLATFORM_STORAGE_SQLITE_BACKUP_H_
#define OMS_PLATFORM_STORAGE_SQLITE_BACKUP_H_

#include <string>

#include "absl/status/status.h"

namespace oms {

// Copies the SQLite store at `source` to `destination` while its service keeps writing: the
// online backup API copies every page inside one read transaction, so the copy is the store
// as of one commit (WAL readers never block the writer). The copy is written beside
// `destination`, checked with PRAGMA integrity_check, synced and then renamed into place, so
// `destination` is either the old file or a complete snapshot.
absl::Status BackupDatabase(const std::string& source, const std::string& destination);

// PRAGMA integrity_check on a store that nothing else has open; the first problem if any.
absl::Status CheckDatabase(const std::string& path);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_BACKUP_H_
