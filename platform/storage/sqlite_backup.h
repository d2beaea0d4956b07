#ifndef OMS_PLATFORM_STORAGE_SQLITE_BACKUP_H_
#define OMS_PLATFORM_STORAGE_SQLITE_BACKUP_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace oms {

// Copies the SQLite store at `source` to `destination` while its service keeps writing: the
// online backup API copies every page inside one read transaction, so the copy is the store
// as of one commit (WAL readers never block the writer). The copy is written beside
// `destination`, checked with PRAGMA integrity_check, synced and then renamed into place, so
// `destination` is either the old file or a complete snapshot.
absl::Status BackupDatabase(const std::string& source, const std::string& destination);

// Copies several stores as of one instant: every store's write lock is taken (each waits
// for the transaction in progress, then holds further writers back), a read snapshot is
// started on each while no store can commit, and the locks go again, within milliseconds.
// The copies are then made from those snapshots while the services write on. So no copy
// holds an effect whose cause another copy lacks (an orchestrator step without the order
// event it followed), which copying the stores one after another could give. Each copy is
// checked, synced and renamed into place as BackupDatabase does. sources[i] goes to
// destinations[i].
absl::Status BackupDatabasesAtOneCut(const std::vector<std::string>& sources,
                                     const std::vector<std::string>& destinations);

// PRAGMA integrity_check on a store that nothing else has open; the first problem if any.
absl::Status CheckDatabase(const std::string& path);

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_SQLITE_BACKUP_H_
