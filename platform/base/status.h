// Early returns on absl::Status and absl::StatusOr. For the gRPC side see grpc_status.h.
#ifndef OMS_PLATFORM_BASE_STATUS_H_
#define OMS_PLATFORM_BASE_STATUS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

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

#endif  // OMS_PLATFORM_BASE_STATUS_H_
