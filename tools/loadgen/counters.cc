#include "tools/loadgen/counters.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "oms/common/v1/common.pb.h"
#include "platform/security/client_channel.h"

namespace oms::loadgen {
namespace {

const std::map<std::string, std::string>& FullNames() {
  static const auto* names = new std::map<std::string, std::string>{
      {"orchestrator_svc", "oms.orchestrator.v1.OrchestratorService"},
      {"order_svc", "oms.order.v1.OrderService"},
      {"inventory_svc", "oms.inventory.v1.InventoryService"},
      {"logistics_svc", "oms.logistics.v1.LogisticsService"},
      {"notify_svc", "oms.notify.v1.NotifyService"},
      {"analytics_svc", "oms.analytics.v1.AnalyticsService"}};
  return *names;
}

}  // namespace

std::map<std::string, ServiceCounters> ReadCounters(
    const std::map<std::string, std::string>& addresses, const std::string& token) {
  std::map<std::string, ServiceCounters> counters;
  ClientSecurity security;
  security.bearer_token = token;
  for (const auto& [service, address] : addresses) {
    auto full = FullNames().find(service);
    if (full == FullNames().end() || address.empty()) continue;
    auto channel = OpenChannel(address, security);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    common::v1::GetServiceInfoRequest request;
    common::v1::ServiceInfo info;
    std::string path = absl::StrCat("/", full->second, "/GetServiceInfo");
    grpc::Status status = grpc::internal::BlockingUnaryCall(
        channel.get(),
        grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC), &context,
        request, &info);
    if (status.ok()) counters[service] = {info.commits(), info.calls_served(), info.cpu_micros()};
  }
  return counters;
}

CostPerOperation Difference(const std::map<std::string, ServiceCounters>& before,
                            const std::map<std::string, ServiceCounters>& after,
                            int64_t operations) {
  double n = std::max<int64_t>(1, operations);
  std::vector<std::string> text, json;
  double calls = 0, commits = 0, cpu_ms = 0;
  for (const auto& [service, end] : after) {
    auto start = before.find(service);
    if (start == before.end()) continue;
    // The GetServiceInfo call that read `start` finished after its counter was read.
    double c = (end.calls_served - start->second.calls_served - 1) / n;
    double w = (end.commits - start->second.commits) / n;
    double ms = (end.cpu_micros - start->second.cpu_micros) / 1000.0 / n;
    calls += c;
    commits += w;
    cpu_ms += ms;
    text.push_back(absl::StrFormat("%s %.2f calls %.2f commits %.2f ms CPU", service, c, w, ms));
    json.push_back(absl::StrFormat("\"%s\":{\"calls\":%.3f,\"commits\":%.3f,\"cpu_ms\":%.3f}",
                                   service, c, w, ms));
  }
  CostPerOperation cost;
  cost.text = absl::StrFormat("per operation: %.2f calls served, %.2f commits, %.2f ms CPU (%s)",
                              calls, commits, cpu_ms, absl::StrJoin(text, "; "));
  cost.json = absl::StrFormat("{\"calls\":%.3f,\"commits\":%.3f,\"cpu_ms\":%.3f,\"services\":{%s}}",
                              calls, commits, cpu_ms, absl::StrJoin(json, ","));
  return cost;
}

}  // namespace oms::loadgen
