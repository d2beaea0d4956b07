#ifndef OMS_PLATFORM_SERVICE_MAIN_H_
#define OMS_PLATFORM_SERVICE_MAIN_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "platform/background.h"
#include "platform/periodic_task.h"
#include "platform/service_host.h"

namespace oms {

struct NamedService {
  std::unique_ptr<grpc::Service> service;
  std::string full_name;  // "oms.order.v1.OrderService", for health
};

// What a binary runs on its host: gRPC services, and background sweeps that start once the
// server is up and stop after it has drained.
struct ServiceParts {
  std::vector<NamedService> services;
  std::vector<std::unique_ptr<Background>> tasks;
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
// --shutdown_grace, --db_fsync, --idempotency_ttl, --event_retention, --<service>_addr of
// the other services), open and migrate the
// store, serve the definition's services plus EventFeed, health and reflection, write the
// bound port to --port_file, run housekeeping, and on SIGTERM/SIGINT report NOT_SERVING,
// drain, close the store and exit 0. Answers the exit code.
int RunServiceMain(int argc, char** argv, ServiceDefinition definition);

// For binaries whose only RPC so far is GetServiceInfo (an InfoOnlyService).
template <typename InfoOnly>
int RunInfoOnlyServiceMain(int argc, char** argv, const std::string& name, int default_port,
                           const std::string& full_name) {
  ServiceDefinition definition;
  definition.name = name;
  definition.default_port = default_port;
  definition.make_parts = [full_name](ServiceHost& host) {
    ServiceParts parts;
    parts.services.push_back({std::make_unique<InfoOnly>(&host), full_name});
    return absl::StatusOr<ServiceParts>(std::move(parts));
  };
  return RunServiceMain(argc, argv, std::move(definition));
}

}  // namespace oms

#endif  // OMS_PLATFORM_SERVICE_MAIN_H_
