#ifndef OMS_ORCHESTRATOR_SVC_PEER_CALL_H_
#define OMS_ORCHESTRATOR_SVC_PEER_CALL_H_

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "platform/status.h"

namespace oms::orchestrator {

// One unary call to another service with a deadline; its status comes back unchanged (a
// NOT_FOUND stays NOT_FOUND), so the caller can tell transient from permanent failures.
template <typename Stub, typename Req, typename Resp>
absl::StatusOr<Resp> CallPeer(Stub* stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                              const Req& request, absl::Duration deadline) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  Resp response;
  OMS_RETURN_IF_ERROR(FromGrpcStatus((stub->*method)(&context, request, &response)));
  return response;
}

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_PEER_CALL_H_
