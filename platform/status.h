#ifndef OMS_PLATFORM_STATUS_H_
#define OMS_PLATFORM_STATUS_H_

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

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define OMS_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::absl::Status oms_status_ = (expr);       \
    if (!oms_status_.ok()) return oms_status_; \
  } while (0)

#define OMS_CONCAT_INNER_(a, b) a##b
#define OMS_CONCAT_(a, b) OMS_CONCAT_INNER_(a, b)
#define OMS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(*tmp)

// `lhs = *expr` when `expr` (an absl::StatusOr) is OK; returns its status otherwise.
#define OMS_ASSIGN_OR_RETURN(lhs, expr) \
  OMS_ASSIGN_OR_RETURN_IMPL_(OMS_CONCAT_(oms_statusor_, __LINE__), lhs, expr)

#endif  // OMS_PLATFORM_STATUS_H_
