#include "platform/base/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/files.h"
#include "platform/base/pii_mask.h"

namespace oms {
namespace {

absl::Mutex component_mu;
std::string* component ABSL_GUARDED_BY(component_mu) = new std::string("oms");
std::atomic<LogContext> context{nullptr};

// LogToFile's file; set once before other threads log.
std::string* log_path = nullptr;
int64_t log_max_bytes = 0;
std::atomic<int64_t> log_bytes{0};  // in the current file
std::atomic<bool> rotating{false};

// Opens `path` for appending onto stdout and stderr: dup2 swaps what the descriptors
// point at in one step, so a line written meanwhile lands whole in one file or the other.
absl::Status RedirectTo(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  bool ok = dup2(fd, STDOUT_FILENO) >= 0 && dup2(fd, STDERR_FILENO) >= 0;
  int dup_errno = errno;
  // Counted from here: what other threads wrote meanwhile went to the file before.
  struct stat st;
  log_bytes.store(fstat(fd, &st) == 0 ? st.st_size : 0, std::memory_order_relaxed);
  close(fd);
  if (!ok) {
    return absl::UnavailableError(
        absl::StrCat("cannot send the log to ", path, ": ", std::strerror(dup_errno)));
  }
  return absl::OkStatus();
}

// The file is full: it becomes PATH.1 and a new one starts. One thread rotates; the others
// go on writing to whichever file the descriptor points at (so a file may end past the
// limit by what they wrote while the rotating thread was held up).
void RotateIfFull() {
  if (log_path == nullptr || log_max_bytes <= 0) return;
  if (log_bytes.load(std::memory_order_relaxed) <= log_max_bytes) return;
  if (rotating.exchange(true, std::memory_order_acquire)) return;
  if (log_bytes.load(std::memory_order_relaxed) > log_max_bytes && KeepAsPrevious(*log_path).ok()) {
    RedirectTo(*log_path).IgnoreError();  // on failure lines go on into PATH.1
  }
  rotating.store(false, std::memory_order_release);
}

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
  ssize_t written = write(STDERR_FILENO, line.data(), line.size());
  if (written > 0 && log_path != nullptr) {
    log_bytes.fetch_add(written, std::memory_order_relaxed);
    RotateIfFull();
  }
}

absl::Status LogToFile(const std::string& path, int64_t max_bytes) {
  if (absl::Status redirected = RedirectTo(path); !redirected.ok()) return redirected;
  log_path = new std::string(path);
  log_max_bytes = max_bytes;
  return absl::OkStatus();
}

}  // namespace oms
