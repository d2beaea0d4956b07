#include "platform/security/call_context.h"

#include <algorithm>

namespace oms::auth {
namespace {

thread_local CallInfo* current_call = nullptr;

}  // namespace

CallInfo* CurrentCall() { return current_call; }

CallInfo* SwapCurrentCall(CallInfo* call) {
  CallInfo* previous = current_call;
  current_call = call;
  return previous;
}

CallScope::CallScope(CallInfo* call) : previous_(current_call) { current_call = call; }

CallScope::~CallScope() { current_call = previous_; }

void NoteTarget(const std::string& id) {
  CallInfo* call = current_call;
  if (call == nullptr || id.empty()) return;
  std::vector<std::string>& ids = call->target_ids;
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

const Principal& CurrentPrincipal() {
  static const Principal* nobody = new Principal;
  return current_call != nullptr ? current_call->principal : *nobody;
}

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
