#include "orchestrator_svc/peers.h"

namespace oms::orchestrator {

bool IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:        // stopped, restarting, unreachable
    case absl::StatusCode::kDeadlineExceeded:   // slow, or our own deadline
    case absl::StatusCode::kCancelled:          // a peer (or this process) shutting down
    case absl::StatusCode::kAborted:            // a conflict: the same call again succeeds
    case absl::StatusCode::kResourceExhausted:  // rate limited or overloaded
    case absl::StatusCode::kInternal:           // the peer's own trouble (a store error)
    case absl::StatusCode::kUnknown:            // a call broken off without a status
      return true;
    default:
      return false;
  }
}

}  // namespace oms::orchestrator
