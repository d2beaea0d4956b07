#include "platform/offset_clock.h"

#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "platform/files.h"
#include "platform/log.h"

namespace oms {

absl::Time OffsetFileClock::Now() const {
  struct stat st;
  int64_t mtime_ns = -2, size = -2;
  if (stat(path_.c_str(), &st) == 0) {
    mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
    // The inode too: a file replaced by rename within one timestamp tick is still new.
    size = st.st_size ^ (static_cast<int64_t>(st.st_ino) << 20);
  }
  absl::MutexLock lock(&mu_);
  if (mtime_ns != seen_mtime_ns_ || size != seen_size_) {
    seen_mtime_ns_ = mtime_ns;
    seen_size_ = size;
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
