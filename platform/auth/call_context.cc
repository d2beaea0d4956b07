#include "platform/auth/call_context.h"

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

Principal CallerOf(const grpc::ServerContextBase& context) {
  Principal principal;
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) return principal;
  for (const grpc::string_ref& value : auth->FindPropertyValues(kPrincipalProperty)) {
    principal.name.assign(value.data(), value.size());
  }
  for (const grpc::string_ref& value : auth->FindPropertyValues(kChannelProperty)) {
    principal.channel.assign(value.data(), value.size());
  }
  for (const grpc::string_ref& value : auth->FindPropertyValues(kRoleProperty)) {
    Role role;
    if (security::v1::Role_Parse(std::string(value.data(), value.size()), &role)) {
      principal.roles.push_back(role);
    }
  }
  return principal;
}

}  // namespace oms::auth
