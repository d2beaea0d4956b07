#ifndef OMS_TOOLS_OMSCTL_EXIT_CODES_H_
#define OMS_TOOLS_OMSCTL_EXIT_CODES_H_

#include "grpcpp/support/status.h"

namespace oms::omsctl {

// What scripts can rely on (documented in `omsctl --help` and docs/OPERATIONS.md).
enum ExitCode {
  kOk = 0,
  kOtherError = 1,       // INTERNAL, UNKNOWN, DATA_LOSS...
  kUsage = 2,            // unknown command, bad field=value, unreadable --request
  kInvalidArgument = 3,  // the service refused the request's content (OUT_OF_RANGE too)
  kNotFound = 4,
  kConflict = 5,     // FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED: not in this state
  kNotAllowed = 6,   // UNAUTHENTICATED, PERMISSION_DENIED
  kUnavailable = 7,  // UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: try again
};

ExitCode ExitCodeFor(grpc::StatusCode code);

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_EXIT_CODES_H_
