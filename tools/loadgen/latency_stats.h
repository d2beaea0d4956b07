#ifndef OMS_TOOLS_LOADGEN_LATENCY_STATS_H_
#define OMS_TOOLS_LOADGEN_LATENCY_STATS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace oms::loadgen {

// Latencies and errors per RPC name, recorded by one worker (not thread-safe; workers keep
// their own and Merge at the end).
class Recorder {
 public:
  // `error` is "" for success, else the gRPC code's name.
  void Record(const std::string& rpc, absl::Duration latency, const std::string& error = "");
  void Merge(const Recorder& other);

  struct Rpc {
    std::vector<int64_t> latencies_us;  // successful calls only
    std::map<std::string, int64_t> errors;
  };
  const std::map<std::string, Rpc>& rpcs() const { return rpcs_; }

 private:
  std::map<std::string, Rpc> rpcs_;
};

struct RpcSummary {
  std::string rpc;
  int64_t ok = 0;
  int64_t failed = 0;
  double per_second = 0;  // successful calls per second of the measured phase
  int64_t p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0;
  std::map<std::string, int64_t> errors;
};

std::vector<RpcSummary> Summarize(const Recorder& recorder, absl::Duration elapsed);
// The nearest-rank percentile (0 < p <= 100) of sorted values; 0 when empty.
int64_t Percentile(const std::vector<int64_t>& sorted, double p);

std::string ToText(const std::vector<RpcSummary>& rows);
std::string ToJson(const std::vector<RpcSummary>& rows);

}  // namespace oms::loadgen

#endif  // OMS_TOOLS_LOADGEN_LATENCY_STATS_H_
