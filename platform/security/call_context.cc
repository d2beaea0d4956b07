#include "platform/security/call_context.h"

#include <algorithm>

namespace oms::auth {
std::string MetadataValue(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
                          const char* key, size_t max_bytes) {
  auto found = metadata.find(key);
  if (found == metadata.end()) return "";
  return std::string(found->second.data(), std::min(found->second.size(), max_bytes));
}

std::optional<Principal> PrincipalFromHeader(const KeyStore& keys, const std::string& header) {
  constexpr char kBearer[] = "Bearer ";
  if (header.rfind(kBearer, 0) != 0) return std::nullopt;
  absl::StatusOr<Principal> principal = keys.Verify(header.substr(sizeof(kBearer) - 1));
  if (!principal.ok()) return std::nullopt;
  return *principal;
}

}  // namespace oms::auth
