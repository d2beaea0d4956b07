#ifndef OMS_PLATFORM_BASE_LOG_H_
#define OMS_PLATFORM_BASE_LOG_H_

// Structured logging to stderr, shared by every binary: one JSON object per line,
//   {"time":"2026-11-23T12:00:00.123Z","level":"WARNING","service":"order_svc",
//    "method":"/oms.order.v1.OrderService/CancelOrder","request_id":"req_...",
//    "principal":"ops","status":"FAILED_PRECONDITION","duration_ms":1.234,"msg":"..."}
// Fields without a value are left out. The message is PII-masked. `./oms logs` renders the
// lines for people (tools/logs/render_logs.py).

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace oms {

enum class LogLevel { kInfo, kWarning, kError };

// What a line says besides its message. Empty strings and a negative duration are omitted.
struct LogFields {
  std::string method;
  std::string request_id;
  std::string principal;
  std::string trace_id;
  std::string status;
  int64_t duration_us = -1;
};

// Fills the fields of the call the current thread serves, if any. platform/security sets it
// (the call context lives there); lines written outside calls carry none.
using LogContext = void (*)(LogFields& fields);
void SetLogContext(LogContext context);

// Writes one line to stderr. `fields` given explicitly win over the call's. Thread-safe;
// lines from different threads never interleave.
void LogLine(LogLevel level, absl::string_view message, const LogFields& fields = {});
// The name every line carries (the binary's service name); set once at startup.
void SetLogComponent(absl::string_view component);

// Sends stderr (log lines, and whatever libraries print there) and stdout to `path`,
// appended. Past `max_bytes` the file becomes `path`.1 (replacing the one before) and a new
// one starts, so at most about twice `max_bytes` is kept; 0: no limit. Called once at
// startup, before other threads log.
absl::Status LogToFile(const std::string& path, int64_t max_bytes);

// Appends `text` as a quoted JSON string: quotes, backslashes and control characters
// escaped, UTF-8 passed through (log lines, and the OTLP/JSON spans of platform/tracing).
void AppendJsonString(std::string& out, absl::string_view text);

// The line LogLine writes, without writing it (tests, and callers that batch).
std::string FormatLogLine(LogLevel level, absl::string_view message, const LogFields& fields);

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
