#include "tools/loadgen/latency_stats.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace oms::loadgen {

void Recorder::Record(const std::string& rpc, absl::Duration latency, const std::string& error) {
  Rpc& entry = rpcs_[rpc];
  if (error.empty()) {
    entry.latencies_us.push_back(absl::ToInt64Microseconds(latency));
  } else {
    ++entry.errors[error];
  }
}

void Recorder::Merge(const Recorder& other) {
  for (const auto& [name, rpc] : other.rpcs_) {
    Rpc& entry = rpcs_[name];
    entry.latencies_us.insert(entry.latencies_us.end(), rpc.latencies_us.begin(),
                              rpc.latencies_us.end());
    for (const auto& [code, n] : rpc.errors) entry.errors[code] += n;
  }
}

int64_t Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

std::vector<RpcSummary> Summarize(const Recorder& recorder, absl::Duration elapsed) {
  std::vector<RpcSummary> rows;
  double seconds = std::max(absl::ToDoubleSeconds(elapsed), 1e-9);
  for (const auto& [name, rpc] : recorder.rpcs()) {
    std::vector<int64_t> sorted = rpc.latencies_us;
    std::sort(sorted.begin(), sorted.end());
    RpcSummary row;
    row.rpc = name;
    row.ok = static_cast<int64_t>(sorted.size());
    for (const auto& [code, n] : rpc.errors) row.failed += n;
    row.errors = rpc.errors;
    row.per_second = row.ok / seconds;
    row.p50_us = Percentile(sorted, 50);
    row.p90_us = Percentile(sorted, 90);
    row.p99_us = Percentile(sorted, 99);
    row.max_us = sorted.empty() ? 0 : sorted.back();
    rows.push_back(row);
  }
  return rows;
}

namespace {

std::string Ms(int64_t us) { return absl::StrFormat("%.2f", us / 1000.0); }

std::string Errors(const std::map<std::string, int64_t>& errors) {
  std::vector<std::string> parts;
  for (const auto& [code, n] : errors) parts.push_back(absl::StrCat(code, "=", n));
  return parts.empty() ? "-" : absl::StrJoin(parts, ",");
}

}  // namespace

std::string ToText(const std::vector<RpcSummary>& rows) {
  std::string out = absl::StrFormat("%-28s %9s %9s %8s %8s %8s %8s %8s  %s\n", "rpc", "ok", "per_s",
                                    "p50_ms", "p90_ms", "p99_ms", "max_ms", "failed", "errors");
  for (const RpcSummary& r : rows) {
    absl::StrAppend(&out, absl::StrFormat("%-28s %9d %9.1f %8s %8s %8s %8s %8d  %s\n", r.rpc, r.ok,
                                          r.per_second, Ms(r.p50_us), Ms(r.p90_us), Ms(r.p99_us),
                                          Ms(r.max_us), r.failed, Errors(r.errors)));
  }
  return out;
}

std::string ToJson(const std::vector<RpcSummary>& rows) {
  std::vector<std::string> items;
  for (const RpcSummary& r : rows) {
    std::vector<std::string> errors;
    for (const auto& [code, n] : r.errors) errors.push_back(absl::StrCat("\"", code, "\":", n));
    items.push_back(
        absl::StrFormat("{\"rpc\":\"%s\",\"ok\":%d,\"failed\":%d,\"per_second\":%.2f,\"p50_us\":%d,"
                        "\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d,\"errors\":{%s}}",
                        r.rpc, r.ok, r.failed, r.per_second, r.p50_us, r.p90_us, r.p99_us, r.max_us,
                        absl::StrJoin(errors, ",")));
  }
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

}  // namespace oms::loadgen
