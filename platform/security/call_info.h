#ifndef OMS_PLATFORM_SECURITY_CALL_INFO_H_
#define OMS_PLATFORM_SECURITY_CALL_INFO_H_

// The call a thread is serving, as domain code and stores see it (no gRPC types here: the
// interceptor that fills it in lives in call_tracker).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "platform/base/log.h"
#include "platform/security/key_store.h"
#include "platform/tracing/trace_context.h"

namespace oms::auth {

// What the platform knows about the call being served: who (from the verified key), which
// method, the request id shared by every hop of one user action, and the records it touches.
struct CallInfo {
  std::string method;   // "/oms.order.v1.OrderService/CancelOrder"
  Principal principal;  // name "" when the server runs without authentication (tests)
  std::string on_behalf_of;
  std::string request_id;
  std::vector<std::string> target_ids;  // ids in the request, then records written
  bool write = false;                   // the method is a write in its access table
  // When the caller stops waiting; calls this one makes to other services end by then too.
  absl::Time deadline = absl::InfiniteFuture();
  // The call's server span: its trace (from the caller's traceparent, or new) and own span.
  tracing::TraceContext trace;
  std::string parent_span_id;  // the caller's span; "" for a trace's root
};

// The log fields that name `call` (method, request id, caller); lines written while serving
// it carry them (platform/base/log.h).
LogFields CallLogFields(const CallInfo& call);

// The call this thread is serving, or nullptr (background work, or no call at all). The sync
// gRPC server runs a call's interceptors and its handler on one thread, so the domain code
// below a handler sees its call without passing it down.
CallInfo* CurrentCall();

// Makes `call` current on this thread; answers the one it replaces.
CallInfo* SwapCurrentCall(CallInfo* call);

// Lets go of the call and its trace on this thread. A callback (reactor) handler calls it
// once it has read what it needs (the caller's principal): its thread goes on to serve other
// calls, unlike a sync server thread, which keeps its call until the call ends.
void LeaveCurrentCall();

// Makes `call` current on this thread for the scope's life.
class CallScope {
 public:
  explicit CallScope(CallInfo* call);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  CallInfo* previous_;
};

// Records that the current call touched `id` (an aggregate the outbox wrote an event for).
void NoteTarget(const std::string& id);

// The verified caller of the call this thread serves. Without a call or without
// authentication: an unnamed principal with no roles and no channel scope.
const Principal& CurrentPrincipal();

// Who acts, for records ("approved_by", "set_by"): the verified caller's name, or "system"
// when there is none (background work, a server without authentication).
std::string CurrentActor();

// Calls this process's servers have finished (any outcome), for GetServiceInfo; the call
// tracker counts each one as it ends.
void CountCallServed();
int64_t CallsServed();

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_CALL_INFO_H_
