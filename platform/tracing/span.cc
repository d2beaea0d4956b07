#include "platform/tracing/span.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "platform/base/log.h"

namespace oms::tracing {
namespace {

std::string Quoted(const std::string& text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

std::string Attribute(const std::string& key, const std::string& value) {
  return absl::StrCat("{\"key\":", Quoted(key), ",\"value\":{\"stringValue\":", Quoted(value),
                      "}}");
}

std::string Nanos(absl::Time time) {
  // Unix nanoseconds as a string: OTLP/JSON encodes 64-bit integers that way.
  return absl::StrCat("\"", absl::ToUnixNanos(time), "\"");
}

std::string SpanJson(const Span& span) {
  std::string attributes;
  for (const auto& [key, value] : span.attributes) {
    absl::StrAppend(&attributes, attributes.empty() ? "" : ",", Attribute(key, value));
  }
  // Status codes: 1 OK, 2 ERROR.
  std::string status =
      span.error ? absl::StrCat("{\"code\":2,\"message\":", Quoted(span.status_message), "}")
                 : "{\"code\":1}";
  return absl::StrCat(
      "{\"traceId\":", Quoted(span.trace_id), ",\"spanId\":", Quoted(span.span_id),
      span.parent_span_id.empty() ? ""
                                  : absl::StrCat(",\"parentSpanId\":", Quoted(span.parent_span_id)),
      ",\"name\":", Quoted(span.name), ",\"kind\":", static_cast<int>(span.kind),
      ",\"startTimeUnixNano\":", Nanos(span.start), ",\"endTimeUnixNano\":", Nanos(span.end),
      ",\"attributes\":[", attributes, "],\"status\":", status, "}");
}

}  // namespace

std::string OtlpJson(const std::string& service, const std::vector<Span>& spans) {
  std::string body;
  for (const Span& span : spans) absl::StrAppend(&body, body.empty() ? "" : ",", SpanJson(span));
  return absl::StrCat(
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[", Attribute("service.name", service),
      "]},\"scopeSpans\":[{\"scope\":{\"name\":\"oms\"},\"spans\":[", body, "]}]}]}");
}

}  // namespace oms::tracing
