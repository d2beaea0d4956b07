#include "platform/security/call_info.h"

#include <algorithm>
#include <atomic>

#include "platform/base/log.h"

namespace oms::auth {
namespace {

thread_local CallInfo* current_call = nullptr;
std::atomic<int64_t> calls_served{0};

// Log lines written while serving a call name it.
// Lines written while applying an event or stepping a workflow name the trace they serve.
void FillLogFields(LogFields& fields) {
  if (const CallInfo* call = current_call; call != nullptr) fields = CallLogFields(*call);
  if (const tracing::TraceContext* trace = tracing::CurrentTrace(); trace != nullptr) {
    fields.trace_id = trace->trace_id;
  }
}

[[maybe_unused]] const bool log_context_set = (SetLogContext(&FillLogFields), true);

}  // namespace

LogFields CallLogFields(const CallInfo& call) {
  LogFields fields;
  fields.method = call.method;
  fields.request_id = call.request_id;
  fields.principal = call.principal.name;
  fields.trace_id = call.trace.trace_id;
  return fields;
}

CallInfo* CurrentCall() { return current_call; }

CallInfo* SwapCurrentCall(CallInfo* call) {
  CallInfo* previous = current_call;
  current_call = call;
  return previous;
}

void LeaveCurrentCall() {
  current_call = nullptr;
  tracing::SwapCurrentTrace(nullptr);
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

std::string CurrentActor() {
  const std::string& name = CurrentPrincipal().name;
  return name.empty() ? "system" : name;
}

void CountCallServed() { calls_served.fetch_add(1, std::memory_order_relaxed); }

int64_t CallsServed() { return calls_served.load(std::memory_order_relaxed); }

}  // namespace oms::auth
