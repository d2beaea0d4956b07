#include "platform/security/peer_call.h"

#include "absl/time/clock.h"
#include "platform/security/call_info.h"

namespace oms {

absl::Time PeerDeadline(absl::Duration limit) {
  absl::Time deadline = absl::Now() + limit;
  const auth::CallInfo* call = auth::CurrentCall();
  if (call != nullptr && call->deadline < deadline) deadline = call->deadline;
  return deadline;
}

}  // namespace oms
