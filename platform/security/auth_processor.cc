#include "platform/security/auth_processor.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"

namespace oms::auth {
namespace {}  // namespace

bool IsOpenMethod(const std::string& path) {
  return absl::StartsWith(path, "/grpc.health.v1.Health/") ||
         absl::StartsWith(path, "/grpc.reflection.v1alpha.ServerReflection/") ||
         absl::StartsWith(path, "/grpc.reflection.v1.ServerReflection/");
}

AuthProcessor::AuthProcessor(const KeyStore* keys, std::vector<const AccessPolicy*> policies,
                             RateLimiter* write_limiter, OnRefused on_refused, bool may_block)
    : keys_(keys),
      policies_(std::move(policies)),
      write_limiter_(write_limiter),
      on_refused_(std::move(on_refused)),
      may_block_(may_block) {}

const MethodRule* AuthProcessor::FindRule(const std::string& path) const {
  for (const AccessPolicy* policy : policies_) {
    if (const MethodRule* rule = policy->Find(path)) return rule;
  }
  return nullptr;
}

grpc::Status AuthProcessor::Process(const InputMetadata& auth_metadata, grpc::AuthContext*,
                                    OutputMetadata*, OutputMetadata*) {
  std::string path = MetadataValue(auth_metadata, ":path");
  if (IsOpenMethod(path)) return grpc::Status::OK;
  CallInfo call;
  call.method = path;
  call.request_id = MetadataValue(auth_metadata, kRequestIdHeader, kMaxIdentityHeaderBytes);
  grpc::Status decision = Decide(path, auth_metadata, &call);
  if (!decision.ok() && on_refused_) on_refused_(call, decision);
  // No auth-context properties: in this gRPC the context they go into outlives the call and
  // is shared by later calls on the connection, so the call's principal would leak into
  // them. The server interceptor identifies each call from its own header instead.
  return decision;
}

grpc::Status AuthProcessor::Decide(const std::string& path, const InputMetadata& metadata,
                                   CallInfo* call) const {
  std::string header = MetadataValue(metadata, "authorization");
  if (!absl::StartsWith(header, "Bearer ")) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "missing API key: send metadata \"authorization: Bearer <key>\"");
  }
  std::optional<Principal> principal = PrincipalFromHeader(*keys_, header);
  if (!principal.has_value()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid API key");
  }
  call->principal = *principal;
  const MethodRule* rule = FindRule(path);
  if (rule == nullptr) {
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, absl::StrCat("unknown method ", path));
  }
  call->write = rule->access == Access::kWrite;
  if (absl::Status allowed = CheckRoles(*rule, path, *principal); !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  // Services are not limited: their calls are the consequence of calls already admitted.
  bool limited = call->write && write_limiter_ != nullptr && !principal->Has(security::v1::SERVICE);
  if (limited && !write_limiter_->TryTake(principal->name)) {
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("rate limit: ", principal->name, " may make ", write_limiter_->per_second(),
                     " write calls per second; retry with backoff"));
  }
  return grpc::Status::OK;
}

}  // namespace oms::auth
