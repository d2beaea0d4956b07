#include "platform/server/metrics_endpoint.h"

#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "platform/base/log.h"
#include "platform/metrics/registry.h"
#include "platform/server/http_listener.h"

namespace oms {

MetricsEndpoint::MetricsEndpoint() = default;

MetricsEndpoint::~MetricsEndpoint() { Stop(); }

absl::Status MetricsEndpoint::Start(const std::string& listen) {
  if (server_ != nullptr) return absl::OkStatus();
  server_ = std::make_unique<httplib::Server>();
  server_->Get("/metrics", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics::Registry::Global().Render(),
                         "text/plain; version=0.0.4; charset=utf-8");
  });
  port_ = BindHttp(*server_, listen);
  if (port_ <= 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("metrics: cannot listen on ", listen));
  }
  thread_ = StartListening(*server_);
  LogInfo("metrics on http://", listen.substr(0, listen.rfind(':')), ":", port_, "/metrics");
  return absl::OkStatus();
}

void MetricsEndpoint::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace oms
