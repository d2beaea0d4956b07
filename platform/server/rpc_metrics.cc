#include "platform/server/rpc_metrics.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "platform/metrics/registry.h"

namespace oms {
namespace {

using grpc::experimental::InterceptionHookPoints;

metrics::CounterFamily& Handled() {
  static metrics::CounterFamily* family = metrics::Registry::Global().Counter(
      "grpc_server_handled_total", "RPCs completed on the server, by status code.",
      {"grpc_service", "grpc_method", "grpc_code"});
  return *family;
}

metrics::HistogramFamily& Handling() {
  static metrics::HistogramFamily* family = metrics::Registry::Global().Histogram(
      "grpc_server_handling_seconds", "Time from a call's arrival to its status, in seconds.",
      {"grpc_service", "grpc_method"});
  return *family;
}

class RpcMetrics : public grpc::experimental::Interceptor {
 public:
  explicit RpcMetrics(absl::string_view method) : started_(absl::Now()) {
    // "/oms.order.v1.OrderService/PlaceOrder" -> service, method.
    size_t slash = method.rfind('/');
    if (method.size() > 1 && method[0] == '/' && slash != absl::string_view::npos && slash > 1) {
      service_ = std::string(method.substr(1, slash - 1));
      method_ = std::string(method.substr(slash + 1));
    } else {
      service_ = "unknown";
      method_ = "unknown";
    }
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      Handled().Add({service_, method_,
                     std::string(absl::StatusCodeToString(
                         static_cast<absl::StatusCode>(status.error_code())))});
      Handling().Observe({service_, method_}, absl::ToDoubleSeconds(absl::Now() - started_));
    }
    methods->Proceed();
  }

 private:
  absl::Time started_;
  std::string service_, method_;
};

}  // namespace

grpc::experimental::Interceptor* RpcMetricsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcMetrics(info->method() == nullptr ? "" : info->method());
}

}  // namespace oms
