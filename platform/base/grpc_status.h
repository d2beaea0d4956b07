// The boundary between absl::Status, which domain code returns, and grpc::Status, which RPCs
// answer. Kept apart from status.h so code that never touches an RPC does not link gRPC.
#ifndef OMS_PLATFORM_BASE_GRPC_STATUS_H_
#define OMS_PLATFORM_BASE_GRPC_STATUS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"

namespace oms {

// absl::Status -> grpc::Status with the same code. Over-long messages are cut so one bad
// request cannot produce a multi-megabyte trailer.
grpc::Status ToGrpcStatus(const absl::Status& status);

// grpc::Status -> absl::Status, keeping the code, so an error from another service passes
// through to our caller unchanged instead of turning into INTERNAL.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The tail of every thin gRPC method: move the domain's answer into the response, or map
// its error.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_GRPC_STATUS_H_
