#ifndef OMS_PLATFORM_SECURITY_AUTH_PROCESSOR_H_
#define OMS_PLATFORM_SECURITY_AUTH_PROCESSOR_H_

#include <functional>
#include <string>
#include <vector>

#include "grpcpp/security/auth_metadata_processor.h"
#include "platform/security/access_policy.h"
#include "platform/security/call_context.h"
#include "platform/security/key_store.h"
#include "platform/security/rate_limiter.h"

namespace oms::auth {

// Runs in gRPC's transport before any handler: authenticates "authorization: Bearer <key>",
// authorizes the method against the services' access tables, rate-limits writes per
// principal. Health and reflection are open to all. Refusals never reach a handler; for
// admitted calls the server interceptor makes the principal current (see CurrentPrincipal).
class AuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  // Called for every refused call (for the audit log); may be empty.
  using OnRefused = std::function<void(const CallInfo& call, const grpc::Status& status)>;

  // `may_block`: a check can wait on the network (a write limit shared in PostgreSQL, a
  // refusal audited there), so it must run on a worker thread of gRPC's instead of inline.
  AuthProcessor(const KeyStore* keys, std::vector<const AccessPolicy*> policies,
                RateLimiter* write_limiter, OnRefused on_refused, bool may_block);

  // Inline, a check is a hash and a map lookup (a refusal also commits its audit row to the
  // local store) on the transport's thread; on a worker it costs every call a thread
  // hand-off both ways, ~25 us of CPU and more of latency (docs/BENCHMARKS.md).
  bool IsBlocking() const override { return may_block_; }

  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  grpc::Status Decide(const std::string& path, const InputMetadata& metadata, CallInfo* call) const;
  const MethodRule* FindRule(const std::string& path) const;

  const KeyStore* keys_;
  std::vector<const AccessPolicy*> policies_;
  RateLimiter* write_limiter_;
  OnRefused on_refused_;
  bool may_block_;
};

// Methods anyone may call without a key: health checks and server reflection.
bool IsOpenMethod(const std::string& path);

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_AUTH_PROCESSOR_H_
