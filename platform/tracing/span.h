#ifndef OMS_PLATFORM_TRACING_SPAN_H_
#define OMS_PLATFORM_TRACING_SPAN_H_

// A finished span and its OTLP/JSON rendering (the OpenTelemetry protocol's JSON encoding
// of ExportTraceServiceRequest, ids in hex as that encoding wants).

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace oms::tracing {

struct Span {
  enum class Kind { kInternal = 1, kServer = 2, kClient = 3, kProducer = 4, kConsumer = 5 };
  std::string trace_id;
  std::string span_id;
  std::string parent_span_id;  // "" for a trace's root
  std::string name;            // "/oms.order.v1.OrderService/CreateOrder", "apply OrderCreated"
  Kind kind = Kind::kInternal;
  absl::Time start;
  absl::Time end;
  bool error = false;
  std::string status_message;
  std::vector<std::pair<std::string, std::string>> attributes;
};

// One ExportTraceServiceRequest holding `spans`, all from `service`, as one line of JSON.
std::string OtlpJson(const std::string& service, const std::vector<Span>& spans);

}  // namespace oms::tracing

#endif  // OMS_PLATFORM_TRACING_SPAN_H_
