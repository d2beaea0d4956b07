#ifndef OMS_PLATFORM_SERVER_GRPC_SERVER_H_
#define OMS_PLATFORM_SERVER_GRPC_SERVER_H_

// The gRPC server every binary runs: health, reflection, keys and access tables, TLS,
// call tracking, and a drain that ends as soon as no call is in flight.

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "grpcpp/server.h"
#include "platform/security/access_policy.h"
#include "platform/security/audit_log.h"
#include "platform/security/key_store.h"
#include "platform/security/rate_limiter.h"
#include "platform/security/tls_files.h"
#include "platform/server/health_service.h"
#include "platform/server/in_flight_calls.h"

namespace oms {

struct GrpcServerOptions {
  std::string name = "oms";                    // for logs
  std::string listen_address = "127.0.0.1:0";  // port 0: pick a free one
  // In-flight calls get this long to finish at shutdown; then they are cancelled.
  absl::Duration shutdown_grace = absl::Seconds(5);
  int max_receive_message_bytes = 4 << 20;
  // Threads the synchronous server keeps waiting for calls. gRPC's default (at most 2) makes
  // every burst of concurrent calls start threads that exit again right after (figures in
  // docs/BENCHMARKS.md); keeping up to this many alive avoids that.
  int max_idle_threads = 16;
  bool log_calls = false;  // a log line for every call, not only for failed ones

  // Security (none set: an open plaintext server, as in-process tests use).
  // With keys, every call but health and reflection needs a key whose roles the service's
  // access table allows; plaintext is then served only to loopback peers.
  const auth::KeyStore* keys = nullptr;
  AuditLog* audit = nullptr;             // failed writes and refusals are recorded here
  RateLimiter* write_limiter = nullptr;  // per principal, on write methods
  // The key check runs inline on gRPC's transport thread unless it can wait on the network:
  // a write limit shared in PostgreSQL, refusals audited there (auth_processor.h).
  bool key_checks_may_block = false;
  TlsPem tls;  // cert+key: TLS; ca too: clients need a certificate
  // With the files' paths in `tls`: how often they are read again (a renewed certificate
  // is served without a restart).
  absl::Duration tls_reload_interval = absl::Seconds(10);
};

// One gRPC server with what every OMS binary serves besides its own services: the
// descriptor-backed grpc.health.v1.Health, server reflection, and a log line for every
// failed call. Thread-safe after Start().
class GrpcServer {
 public:
  explicit GrpcServer(GrpcServerOptions options);
  ~GrpcServer();

  // Before Start(): serves `service` (not owned); health reports `full_name` SERVING once
  // the server is up ("oms.order.v1.OrderService"). `policy` (not owned) says who may call
  // it; required when the server checks keys.
  void AddService(grpc::Service* service, const std::string& full_name,
                  const auth::AccessPolicy* policy = nullptr);

  // Runs at shutdown after NOT_SERVING and before draining: ends long-lived streams.
  void AddShutdownHook(std::function<void()> hook) { shutdown_hooks_.push_back(std::move(hook)); }

  absl::Status Start();
  // The bound port (useful with port 0). Valid after Start().
  int port() const { return port_; }
  // NOT_SERVING first (so balancers stop sending), then stop accepting and drain in-flight
  // calls within the grace period; returns as soon as the last call ends. Idempotent.
  void Shutdown();

  HealthService& health() { return health_; }

 private:
  GrpcServerOptions options_;
  HealthService health_;
  struct Served {
    grpc::Service* service;
    std::string full_name;
    const auth::AccessPolicy* policy;
  };
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials() const;
  bool IsWrite(const std::string& method) const;

  std::vector<Served> services_;
  std::vector<std::function<void()>> shutdown_hooks_;
  InFlightCalls in_flight_;  // declared before server_: its interceptors outlive no call
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_GRPC_SERVER_H_
