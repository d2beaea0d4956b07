#ifndef OMS_PLATFORM_SERVER_METRICS_ENDPOINT_H_
#define OMS_PLATFORM_SERVER_METRICS_ENDPOINT_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"

namespace httplib {
class Server;
}

namespace oms {

// GET /metrics on its own HTTP port (--metrics_listen): the process's registry in
// Prometheus' text format. Unauthenticated like any scrape target, so it is meant for
// loopback or a network only the scraper reaches; it carries no customer data.
class MetricsEndpoint {
 public:
  MetricsEndpoint();
  ~MetricsEndpoint();

  // Binds "host:port" (port 0: a free one) and serves until Stop().
  absl::Status Start(const std::string& listen);
  void Stop();
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = -1;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_METRICS_ENDPOINT_H_
