#include "platform/base/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/pii_mask.h"

namespace oms {
namespace {

absl::Mutex component_mu;
std::string* component ABSL_GUARDED_BY(component_mu) = new std::string("oms");
std::atomic<LogContext> context{nullptr};

void AppendField(std::string& out, absl::string_view name, absl::string_view value) {
  if (value.empty()) return;
  absl::StrAppend(&out, ",\"", name, "\":");
  AppendJsonString(out, value);
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    default:
      return "ERROR";
  }
}

// The explicit fields, completed from the current call's where they say nothing.
LogFields Merged(const LogFields& given) {
  LogContext fill = context.load(std::memory_order_acquire);
  if (fill == nullptr) return given;
  LogFields merged;
  fill(merged);
  if (!given.method.empty()) merged.method = given.method;
  if (!given.request_id.empty()) merged.request_id = given.request_id;
  if (!given.principal.empty()) merged.principal = given.principal;
  if (!given.trace_id.empty()) merged.trace_id = given.trace_id;
  merged.status = given.status;
  merged.duration_us = given.duration_us;
  return merged;
}

}  // namespace

void AppendJsonString(std::string& out, absl::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void SetLogComponent(absl::string_view name) {
  absl::MutexLock lock(&component_mu);
  *component = std::string(name);
}

void SetLogContext(LogContext fill) { context.store(fill, std::memory_order_release); }

// Every message is masked: error messages may quote customer e-mails or phone numbers.
std::string FormatLogLine(LogLevel level, absl::string_view message, const LogFields& given) {
  LogFields fields = Merged(given);
  std::string line = "{\"time\":";
  AppendJsonString(line,
                   absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()));
  AppendField(line, "level", LevelName(level));
  {
    absl::MutexLock lock(&component_mu);
    AppendField(line, "service", *component);
  }
  AppendField(line, "method", fields.method);
  AppendField(line, "request_id", fields.request_id);
  AppendField(line, "trace_id", fields.trace_id);
  AppendField(line, "principal", fields.principal);
  AppendField(line, "status", fields.status);
  if (fields.duration_us >= 0) {
    absl::StrAppend(&line, ",\"duration_ms\":",
                    absl::StrFormat("%.3f", static_cast<double>(fields.duration_us) / 1000));
  }
  line += ",\"msg\":";
  AppendJsonString(line, MaskPersonalData(message));
  line += "}\n";
  return line;
}

void LogLine(LogLevel level, absl::string_view message, const LogFields& fields) {
  std::string line = FormatLogLine(level, message, fields);
  // One write(2) per line keeps concurrent lines whole.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace oms
