#ifndef OMS_PLATFORM_SECURITY_REQUEST_LIMITS_H_
#define OMS_PLATFORM_SECURITY_REQUEST_LIMITS_H_

#include <utility>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"

namespace oms {

// Limits every request obeys before any domain code sees it, whatever the method: a
// backstop under each service's own, tighter validation. (The whole message is already
// capped by the server's maximum receive size.)
inline constexpr size_t kMaxStringBytes = 4096;     // ids, names, addresses, reasons...
inline constexpr size_t kMaxLongTextBytes = 65536;  // fields named body, notes, note, description
inline constexpr int kMaxRepeated = 1000;           // entries of any repeated field

// INVALID_ARGUMENT naming every field over its limit ("order.lines[3].sku: at most 4096
// bytes"), or OK.
absl::Status CheckRequestLimits(const google::protobuf::Message& request);

// A handler's body: the generic limits, then `serve` (which answers a StatusOr<Response>).
//   return Serve(*request, response, [&] { return book_.CreateOrder(*request); });
template <typename Response, typename Fn>
grpc::Status Serve(const google::protobuf::Message& request, Response* response, Fn&& serve) {
  if (absl::Status limits = CheckRequestLimits(request); !limits.ok()) {
    return ToGrpcStatus(limits);
  }
  return Reply(std::forward<Fn>(serve)(), response);
}

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_REQUEST_LIMITS_H_
