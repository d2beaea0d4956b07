#ifndef OMS_PLATFORM_SERVER_SERVICE_MAIN_H_
#define OMS_PLATFORM_SERVER_SERVICE_MAIN_H_

// The life of a service binary: flags, store, server, background work, signals, shutdown.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "platform/base/background.h"
#include "platform/base/periodic_task.h"
#include "platform/metrics/registry.h"
#include "platform/security/access_policy.h"
#include "platform/server/service_host.h"

namespace oms {

struct NamedService {
  std::unique_ptr<grpc::Service> service;
  std::string full_name;             // "oms.order.v1.OrderService", for health
  const auth::AccessPolicy* access;  // who may call each method (the service's table)
};

// What a binary runs on its host: gRPC services, and background work that starts once the
// server is up and stops after it has drained.
struct ServiceParts {
  std::vector<NamedService> services;
  // Sweeps, feed consumers, the courier: of several replicas on one store, one runs each
  // (under a lease named after it, see LeasedTask).
  std::vector<std::unique_ptr<Background>> tasks;
  // Work every replica runs (the dashboard's HTTP listener).
  std::vector<std::unique_ptr<Background>> replica_tasks;
  // The service's own gauges read at scrape time (queue depths, open tickets); removed
  // before the store closes.
  std::vector<metrics::CollectorHandle> collectors;
};

// What one binary adds to the shared bootstrap.
struct ServiceDefinition {
  std::string name;  // "order_svc"; also the default store var/<name>.db
  int default_port;  // 50051
  std::vector<Migrations> migrations;
  std::vector<std::string> capabilities;
  // Builds the binary's own gRPC services and sweeps on the opened, migrated host.
  std::function<absl::StatusOr<ServiceParts>(ServiceHost&)> make_parts;
};

// The whole life of a service binary: parse flags (--listen, --db, --port_file,
// --shutdown_grace, --db_sync, --idempotency_ttl, --event_retention, --<service>_addr of
// the other services, keys, TLS and rate limits), load the API keys, open and migrate the
// store, serve the definition's services plus EventFeed, AuditLog, health and reflection
// (each call checked against the services' access tables), write the
// bound port to --port_file, run housekeeping, and on SIGTERM/SIGINT report NOT_SERVING,
// drain, close the store and exit 0. Answers the exit code.
int RunServiceMain(int argc, char** argv, ServiceDefinition definition);

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_SERVICE_MAIN_H_
