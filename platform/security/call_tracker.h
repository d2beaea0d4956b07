#ifndef OMS_PLATFORM_SECURITY_CALL_TRACKER_H_
#define OMS_PLATFORM_SECURITY_CALL_TRACKER_H_

#include <functional>
#include <string>

#include "grpcpp/support/server_interceptor.h"
#include "platform/security/audit_log.h"

namespace oms {

// Server interceptor factory: for every call, makes the CallInfo current on the handler's
// thread (who, from the call's own key when `keys` is set; method, request id, ids named
// in the request; the trace, from the caller's traceparent), echoes the request id in the
// response headers, records the call's server span, logs failures (masked), and audits
// failed writes. `audit` may be null
// (no audit log, e.g. in unit tests of the server alone). `is_write` says from the access
// tables whether a method changes state: failed writes are audited, failed reads only logged.
class CallTrackerFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `log_calls`: a line for every call, not only the failed ones (an access log).
  CallTrackerFactory(const auth::KeyStore* keys, AuditLog* audit,
                     std::function<bool(const std::string&)> is_write, bool log_calls = false)
      : keys_(keys), audit_(audit), is_write_(std::move(is_write)), log_calls_(log_calls) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const auth::KeyStore* keys_;
  AuditLog* audit_;
  std::function<bool(const std::string&)> is_write_;
  bool log_calls_;
};

// The gRPC code's name, "PERMISSION_DENIED".
std::string StatusCodeName(grpc::StatusCode code);

// A fresh request id for a call that arrived without one.
std::string NewRequestId();

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_CALL_TRACKER_H_
