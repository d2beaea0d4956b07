#include "platform/base/log.h"

#include <unistd.h>

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/pii_mask.h"

namespace oms {
namespace {

absl::Mutex component_mu;
std::string* component ABSL_GUARDED_BY(component_mu) = new std::string("oms");

}  // namespace

void SetLogComponent(absl::string_view name) {
  absl::MutexLock lock(&component_mu);
  *component = std::string(name);
}

// Every line is masked: error messages may quote customer e-mails or phone numbers.
void LogLine(LogLevel level, absl::string_view message) {
  char tag = level == LogLevel::kInfo ? 'I' : level == LogLevel::kWarning ? 'W' : 'E';
  std::string line;
  {
    absl::MutexLock lock(&component_mu);
    line = absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
                        " ", std::string(1, tag), " ", *component, ": ", MaskPersonalData(message),
                        "\n");
  }
  // One write(2) per line keeps concurrent lines whole.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace oms
