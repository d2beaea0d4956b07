#include "platform/tracing/trace_context.h"

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace oms::tracing {
namespace {

thread_local const TraceContext* current = nullptr;

bool IsLowerHex(const std::string& text, size_t size) {
  if (text.size() != size) return false;
  bool all_zero = true;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
    if (c != '0') all_zero = false;
  }
  return !all_zero;
}

uint64_t RandomWord() {
  static thread_local absl::BitGen gen;
  uint64_t word = 0;
  while (word == 0) word = absl::Uniform<uint64_t>(gen);
  return word;
}

}  // namespace

std::optional<TraceContext> ParseTraceparent(const std::string& value) {
  std::vector<std::string> parts = absl::StrSplit(value, '-');
  // Version 00 has exactly four parts; a later version may add more after them.
  if (parts.size() < 4 || parts[0].size() != 2 || parts[0] == "ff") return std::nullopt;
  if (parts[0] == "00" && parts.size() != 4) return std::nullopt;
  if (!IsLowerHex(parts[1], 32) || !IsLowerHex(parts[2], 16) || parts[3].size() != 2 ||
      !absl::ascii_isxdigit(parts[3][0]) || !absl::ascii_isxdigit(parts[3][1])) {
    return std::nullopt;
  }
  TraceContext context;
  context.trace_id = parts[1];
  context.span_id = parts[2];
  int flags = std::stoi(parts[3], nullptr, 16);
  context.sampled = (flags & 1) != 0;
  return context;
}

std::string FormatTraceparent(const TraceContext& context) {
  return absl::StrCat("00-", context.trace_id, "-", context.span_id,
                      context.sampled ? "-01" : "-00");
}

std::string NewTraceId() { return absl::StrFormat("%016x%016x", RandomWord(), RandomWord()); }

std::string NewSpanId() { return absl::StrFormat("%016x", RandomWord()); }

const TraceContext* CurrentTrace() { return current; }

const TraceContext* SwapCurrentTrace(const TraceContext* context) {
  const TraceContext* previous = current;
  current = context;
  return previous;
}

std::string CurrentTraceparent() {
  return current != nullptr && current->valid() ? FormatTraceparent(*current) : "";
}

}  // namespace oms::tracing
