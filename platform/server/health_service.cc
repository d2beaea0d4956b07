#include "platform/server/health_service.h"

namespace oms {

using grpc::health::v1::HealthCheckResponse;

void HealthService::SetStatus(const std::string& service, ServingStatus status) {
  absl::MutexLock lock(&mu_);
  if (shut_down_) return;
  statuses_[service] = failed_ ? HealthCheckResponse::NOT_SERVING : status;
  ++version_;
}

void HealthService::Fail() {
  absl::MutexLock lock(&mu_);
  for (auto& entry : statuses_) entry.second = HealthCheckResponse::NOT_SERVING;
  failed_ = true;
  ++version_;
}

void HealthService::Shutdown() {
  absl::MutexLock lock(&mu_);
  for (auto& entry : statuses_) entry.second = HealthCheckResponse::NOT_SERVING;
  shut_down_ = true;
  ++version_;
}

grpc::Status HealthService::Check(grpc::ServerContext*,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(request->service());
  if (it == statuses_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "unknown service \"" + request->service() + "\"");
  }
  response->set_status(it->second);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  uint64_t seen_version = 0;
  bool first = true;
  ServingStatus last = HealthCheckResponse::UNKNOWN;
  while (!context->IsCancelled()) {
    ServingStatus current;
    bool done;
    {
      absl::MutexLock lock(&mu_);
      auto changed = [this, seen_version, first]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
        return first || shut_down_ || version_ != seen_version;
      };
      // Wake periodically to notice a cancelled caller.
      mu_.AwaitWithTimeout(absl::Condition(&changed), absl::Milliseconds(250));
      seen_version = version_;
      auto it = statuses_.find(request->service());
      current = it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
      done = shut_down_;
    }
    if (first || current != last) {
      HealthCheckResponse response;
      response.set_status(current);
      if (!writer->Write(response)) return grpc::Status::OK;
      last = current;
      first = false;
    }
    if (done) return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled");
}

}  // namespace oms
