#ifndef OMS_PLATFORM_BASE_FILES_H_
#define OMS_PLATFORM_BASE_FILES_H_

#include <string>

#include "absl/status/statusor.h"

namespace oms {

// A whole small file (a key token, a PEM, a text proto), trailing newlines removed;
// NOT_FOUND naming the path when it cannot be read.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path);

// Writes `content` to a temporary file with `mode`, fsyncs it and renames it over `path`,
// so a reader sees the old file or the new one, never half of one.
absl::Status WriteFileAtomically(const std::string& path, const std::string& content,
                                 int mode = 0644);

// fsyncs the file or directory at `path` (a directory: so that an entry made in it, a new
// file, survives a power loss); INTERNAL naming the path and the system's reason otherwise.
absl::Status SyncPath(const std::string& path);

// Renames `path` to `path`.1, replacing an earlier one: the one previous file a size-capped
// log keeps (the service log, the span export). UNAVAILABLE naming both paths and the
// system's reason otherwise.
absl::Status KeepAsPrevious(const std::string& path);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_FILES_H_
