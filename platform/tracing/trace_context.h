#ifndef OMS_PLATFORM_TRACING_TRACE_CONTEXT_H_
#define OMS_PLATFORM_TRACING_TRACE_CONTEXT_H_

// W3C Trace Context (https://www.w3.org/TR/trace-context/): the trace a piece of work belongs
// to, carried as a `traceparent` header ("00-<32 hex trace id>-<16 hex span id>-<flags>") on
// every gRPC hop and stored with every outbox event, so one order's trace follows it from
// PlaceOrder through the peer calls into the follow-ups other services run.

#include <optional>
#include <string>

namespace oms::tracing {

struct TraceContext {
  std::string trace_id;  // 32 lower-case hex digits, not all zero
  std::string span_id;   // 16 lower-case hex digits: the span this work is
  bool sampled = false;  // its spans are exported

  bool valid() const { return !trace_id.empty(); }
};

inline constexpr char kTraceparentHeader[] = "traceparent";

// The context a traceparent value names (its span id is the caller's span), or nullopt for
// anything malformed (which then starts a new trace, as the standard says).
std::optional<TraceContext> ParseTraceparent(const std::string& value);
std::string FormatTraceparent(const TraceContext& context);

std::string NewTraceId();
std::string NewSpanId();

// The trace this thread works for, or nullptr. Set while a call is served (the call
// tracker), an event applied (FeedConsumer) or a workflow stepped.
const TraceContext* CurrentTrace();
const TraceContext* SwapCurrentTrace(const TraceContext* context);

// Makes `context` current on this thread for the scope's life.
class TraceScope {
 public:
  explicit TraceScope(const TraceContext* context) : previous_(SwapCurrentTrace(context)) {}
  ~TraceScope() { SwapCurrentTrace(previous_); }
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  const TraceContext* previous_;
};

// The traceparent to send or store for work done now: the current span as parent, or ""
// outside any trace.
std::string CurrentTraceparent();

}  // namespace oms::tracing

#endif  // OMS_PLATFORM_TRACING_TRACE_CONTEXT_H_
