#ifndef OMS_PLATFORM_BASE_LOG_H_
#define OMS_PLATFORM_BASE_LOG_H_

// One-line structured logging to stderr, shared by every binary.

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace oms {

enum class LogLevel { kInfo, kWarning, kError };

// Writes one line to stderr: "2026-11-23T12:00:00.123Z I order_svc: message". Thread-safe;
// lines from different threads never interleave.
void LogLine(LogLevel level, absl::string_view message);
// The name every line carries (the binary's service name); set once at startup.
void SetLogComponent(absl::string_view component);

template <typename... Args>
void LogInfo(const Args&... args) {
  LogLine(LogLevel::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  LogLine(LogLevel::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  LogLine(LogLevel::kError, absl::StrCat(args...));
}

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_LOG_H_
