#ifndef OMS_PLATFORM_SERVER_HEALTH_SERVICE_H_
#define OMS_PLATFORM_SERVER_HEALTH_SERVICE_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace oms {

// grpc.health.v1.Health compiled from Debian's grpc-proto health.proto. gRPC C++'s built-in
// health service registers no descriptor, so reflection clients (grpcurl) can list it but not
// call it; this one is an ordinary generated service and works with reflection.
// "" stands for the whole server. Thread-safe.
class HealthService final : public grpc::health::v1::Health::Service {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  void SetStatus(const std::string& service, ServingStatus status);
  // Marks everything NOT_SERVING and ends every Watch (server shutdown).
  void Shutdown();
  // Marks everything NOT_SERVING for good; Watches stay open and see it (a fault only a
  // restart clears, such as a store that can no longer make commits durable).
  void Fail();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, ServingStatus> statuses_ ABSL_GUARDED_BY(mu_);
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  bool failed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_HEALTH_SERVICE_H_
