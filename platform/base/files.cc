#include "platform/base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace oms {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

absl::Status WriteFileAtomically(const std::string& path, const std::string& content, int mode) {
  std::string temp = path + ".tmp";
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot create ", temp));
  bool written = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  written = fsync(fd) == 0 && written;
  close(fd);
  if (!written || std::rename(temp.c_str(), path.c_str()) != 0) {
    unlink(temp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::Status SyncPath(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", path, ": ", std::strerror(errno)));
  int rc;
  do {
    rc = fsync(fd);
  } while (rc != 0 && errno == EINTR);
  int error = errno;
  close(fd);
  if (rc != 0) return absl::InternalError(absl::StrCat("fsync ", path, ": ", std::strerror(error)));
  return absl::OkStatus();
}

absl::Status KeepAsPrevious(const std::string& path) {
  const std::string previous = path + ".1";
  if (rename(path.c_str(), previous.c_str()) == 0) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("rename ", path, " to ", previous, ": ", std::strerror(errno)));
}

}  // namespace oms
