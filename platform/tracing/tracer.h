#ifndef OMS_PLATFORM_TRACING_TRACER_H_
#define OMS_PLATFORM_TRACING_TRACER_H_

// Where finished spans go: batched on a thread of their own and written as OTLP/JSON to a
// file (one ExportTraceServiceRequest per line) or POSTed to a collector's /v1/traces.
// Without a configured export, nothing is sampled and spans cost only their ids (which
// logs and the audit log carry all the same).

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/tracing/span.h"
#include "platform/tracing/trace_context.h"

namespace oms::tracing {

struct TracerOptions {
  std::string service;  // resource service.name
  // "file:PATH" or "http://host:port/v1/traces"; "" exports nothing.
  std::string export_target;
  double sample_rate = 1.0;  // share of new traces exported; callers' decisions are kept
  absl::Duration flush_interval = absl::Seconds(1);
  size_t max_queued = 20000;  // spans beyond this are dropped (and counted), never block
  // file:PATH: once the file passes this size it becomes PATH.1 (replacing the one before)
  // and a new one is started, so at most about twice this is kept. 0: it grows unbounded.
  int64_t max_file_bytes = int64_t{256} << 20;
};

class Tracer {
 public:
  static Tracer& Global();

  // Starts exporting; the previous configuration's spans are flushed first.
  absl::Status Configure(TracerOptions options);
  // Flushes what is queued and stops the export thread.
  void Shutdown();

  // A new root: a fresh trace, sampled by the rate when exporting.
  TraceContext NewRoot();
  // A child span of `parent` in its trace (a new root when parent is null or invalid).
  TraceContext ChildOf(const TraceContext* parent);

  // Queues a finished span when its trace is sampled and export is on.
  void Record(Span span, bool sampled);
  int64_t dropped() const;

 private:
  void ExportLoop();
  absl::Status Write(const std::vector<Span>& spans);
  absl::Status AppendToFile(const std::string& path, const std::string& json,
                            int64_t max_file_bytes);

  mutable absl::Mutex mu_;
  TracerOptions options_ ABSL_GUARDED_BY(mu_);
  bool exporting_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Span> queue_ ABSL_GUARDED_BY(mu_);
  int64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

// A span of work on this thread: a child of the current trace (or of `parent`), current
// for the scope's life, recorded when the scope ends.
class ScopedSpan {
 public:
  ScopedSpan(std::string name, Span::Kind kind, const TraceContext* parent = CurrentTrace());
  ~ScopedSpan();
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;

  void SetError(const std::string& message);
  void AddAttribute(const std::string& key, const std::string& value);
  const TraceContext& context() const { return context_; }

 private:
  TraceContext context_;
  Span span_;
  TraceScope scope_;
};

}  // namespace oms::tracing

#endif  // OMS_PLATFORM_TRACING_TRACER_H_
