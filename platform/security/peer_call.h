#ifndef OMS_PLATFORM_SECURITY_PEER_CALL_H_
#define OMS_PLATFORM_SECURITY_PEER_CALL_H_

// One unary call from a service to another over a PeerChannel (client_channel.h): with a
// deadline, and its status back with the code unchanged, so the caller can tell a peer that
// is down (UNAVAILABLE) from a refusal.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "platform/base/grpc_status.h"

namespace oms {

// `limit` from now, or the deadline of the call being served when that comes sooner (the
// caller stops waiting then, so the work on its behalf stops too).
absl::Time PeerDeadline(absl::Duration limit);

template <typename Stub, typename Req, typename Resp>
absl::StatusOr<Resp> PeerCall(Stub* stub,
                              grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                              const Req& request, absl::Duration limit) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(PeerDeadline(limit)));
  Resp response;
  absl::Status status = FromGrpcStatus((stub->*method)(&context, request, &response));
  if (!status.ok()) return status;
  return response;
}

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_PEER_CALL_H_
