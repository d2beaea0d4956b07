#include "platform/base/offset_clock.h"

#include <sys/stat.h>

#include <array>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "platform/base/files.h"
#include "platform/base/log.h"

namespace oms {

absl::Time OffsetFileClock::Now() const {
  // Which version of the file this is: the inode too, as a file replaced by rename within
  // one timestamp tick is still new. {} when there is no file.
  struct stat st;
  std::array<int64_t, 4> version = {};
  if (stat(path_.c_str(), &st) == 0) {
    version = {st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_size, static_cast<int64_t>(st.st_ino)};
  }
  absl::MutexLock lock(&mu_);
  if (!read_once_ || version != seen_) {
    read_once_ = true;
    seen_ = version;
    offset_ = absl::ZeroDuration();
    absl::StatusOr<std::string> text = ReadSmallFile(path_);
    std::string trimmed = text.ok() ? std::string(absl::StripAsciiWhitespace(*text)) : "";
    if (!trimmed.empty() && !absl::ParseDuration(trimmed, &offset_)) {
      LogWarning("test clock: cannot read \"", trimmed, "\" in ", path_, " as a duration");
      offset_ = absl::ZeroDuration();
    }
  }
  return absl::Now() + offset_;
}

}  // namespace oms
