#ifndef OMS_PLATFORM_GRPC_SERVER_H_
#define OMS_PLATFORM_GRPC_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "grpcpp/server.h"
#include "platform/health_service.h"

namespace oms {

struct GrpcServerOptions {
  std::string name = "oms";                    // for logs
  std::string listen_address = "127.0.0.1:0";  // port 0: pick a free one
  // In-flight calls get this long to finish at shutdown; then they are cancelled.
  absl::Duration shutdown_grace = absl::Seconds(5);
  int max_receive_message_bytes = 4 << 20;
};

// One gRPC server with what every OMS binary serves besides its own services: the
// descriptor-backed grpc.health.v1.Health, server reflection, and a log line for every
// failed call. Thread-safe after Start().
class GrpcServer {
 public:
  explicit GrpcServer(GrpcServerOptions options);
  ~GrpcServer();

  // Before Start(): serves `service` (not owned); health reports `full_name` SERVING once
  // the server is up ("oms.order.v1.OrderService").
  void AddService(grpc::Service* service, const std::string& full_name);

  // Runs at shutdown after NOT_SERVING and before draining: ends long-lived streams.
  void AddShutdownHook(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }

  absl::Status Start();
  // The bound port (useful with port 0). Valid after Start().
  int port() const { return port_; }
  // NOT_SERVING first (so balancers stop sending), then stop accepting and drain in-flight
  // calls within the grace period. Idempotent.
  void Shutdown();

  HealthService& health() { return health_; }

 private:
  GrpcServerOptions options_;
  HealthService health_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::vector<std::function<void()>> shutdown_hooks_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace oms

#endif  // OMS_PLATFORM_GRPC_SERVER_H_
