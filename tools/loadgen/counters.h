#ifndef OMS_TOOLS_LOADGEN_COUNTERS_H_
#define OMS_TOOLS_LOADGEN_COUNTERS_H_

#include <map>
#include <string>

namespace oms::loadgen {

// Each service's commits and finished RPCs (from GetServiceInfo), to count what one
// operation costs: hops and commits per PlaceOrder.
struct ServiceCounters {
  int64_t commits = 0;
  int64_t calls_served = 0;
  int64_t cpu_micros = 0;
};

// service name -> "host:port"; services that do not answer are left out.
std::map<std::string, ServiceCounters> ReadCounters(
    const std::map<std::string, std::string>& addresses, const std::string& token);

// "per operation: order_svc 3.0 calls 2.0 commits, ..." and the totals, as text and JSON.
struct CostPerOperation {
  std::string text;
  std::string json;
};
CostPerOperation Difference(const std::map<std::string, ServiceCounters>& before,
                            const std::map<std::string, ServiceCounters>& after,
                            int64_t operations);

}  // namespace oms::loadgen

#endif  // OMS_TOOLS_LOADGEN_COUNTERS_H_
