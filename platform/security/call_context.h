#ifndef OMS_PLATFORM_SECURITY_CALL_CONTEXT_H_
#define OMS_PLATFORM_SECURITY_CALL_CONTEXT_H_

// The gRPC side of a call's identity: metadata headers and the principal a bearer key names
// (the call itself, CallInfo, is in call_info.h).

#include <map>
#include <optional>
#include <string>

#include "grpcpp/support/string_ref.h"
#include "platform/security/call_info.h"
#include "platform/security/key_store.h"

namespace oms::auth {

// The principal a verified "authorization: Bearer <key>" header value names, or nullopt.
std::optional<Principal> PrincipalFromHeader(const KeyStore& keys, const std::string& header);

// The first value of `key` in a call's client metadata ("" when absent), at most
// `max_bytes` long (a header ends up in log lines and audit entries).
std::string MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                          const char* key, size_t max_bytes = 4096);

// Metadata carried from service to service, each value kept to kMaxIdentityHeaderBytes.
inline constexpr size_t kMaxIdentityHeaderBytes = 128;
inline constexpr char kRequestIdHeader[] = "x-request-id";
inline constexpr char kOnBehalfOfHeader[] = "x-on-behalf-of";

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_CALL_CONTEXT_H_
