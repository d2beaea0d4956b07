#include "platform/security/call_tracker.h"

#include <atomic>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "platform/base/log.h"
#include "platform/security/call_context.h"
#include "platform/tracing/tracer.h"

namespace oms {
namespace {

using grpc::experimental::InterceptionHookPoints;

bool IsIdField(const google::protobuf::FieldDescriptor& field) {
  if (field.type() != google::protobuf::FieldDescriptor::TYPE_STRING) return false;
  const std::string& name = field.name();
  return field.is_repeated() ? absl::EndsWith(name, "_ids")
                             : name == "id" || absl::EndsWith(name, "_id");
}

// The ids a request names at its top level ("order_id", "ticket_ids", ...): the records the
// call is about, for the audit log.
void CollectIds(const google::protobuf::Message& request, std::vector<std::string>* ids) {
  const google::protobuf::Reflection* reflection = request.GetReflection();
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (!IsIdField(*field)) continue;
    if (field->is_repeated()) {
      for (int k = 0; k < reflection->FieldSize(request, field) && k < 100; ++k) {
        ids->push_back(reflection->GetRepeatedString(request, field, k));
      }
    } else if (std::string id = reflection->GetString(request, field); !id.empty()) {
      ids->push_back(id);
    }
  }
}

class CallTracker : public grpc::experimental::Interceptor {
 public:
  CallTracker(grpc::experimental::ServerRpcInfo* info, const auth::KeyStore* keys, AuditLog* audit,
              const std::function<bool(const std::string&)>& is_write, bool log_calls)
      : info_(info),
        keys_(keys),
        audit_(audit),
        is_write_(is_write),
        log_calls_(log_calls),
        started_(absl::Now()) {
    call_.method = info->method();
  }

  ~CallTracker() override { Leave(); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      Identify(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      auto* request = static_cast<const google::protobuf::Message*>(methods->GetRecvMessage());
      if (request != nullptr) CollectIds(*request, &call_.target_ids);
      std::chrono::system_clock::time_point deadline = info_->server_context()->deadline();
      if (deadline != std::chrono::system_clock::time_point::max()) {
        call_.deadline = absl::FromChrono(deadline);
      }
      // The handler runs next, on this thread. A sync server thread serves one call at a
      // time, so there is nothing to restore afterwards: Leave() clears it.
      auth::SwapCurrentCall(&call_);
      tracing::SwapCurrentTrace(&call_.trace);
      entered_ = true;
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(auth::kRequestIdHeader, call_.request_id);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Leave() {
    if (entered_ && auth::CurrentCall() == &call_) auth::SwapCurrentCall(nullptr);
    if (entered_ && tracing::CurrentTrace() == &call_.trace) tracing::SwapCurrentTrace(nullptr);
    entered_ = false;
  }

  void Identify(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    // The transport's key check admitted this call; here it is only named (a hash again).
    if (keys_ != nullptr) {
      std::optional<auth::Principal> principal =
          auth::PrincipalFromHeader(*keys_, auth::MetadataValue(metadata, "authorization"));
      if (principal.has_value()) call_.principal = *principal;
    }
    call_.request_id =
        auth::MetadataValue(metadata, auth::kRequestIdHeader, auth::kMaxIdentityHeaderBytes);
    if (call_.request_id.empty()) call_.request_id = NewRequestId();
    // The caller's span is this call's parent; without a (valid) traceparent a trace starts.
    std::optional<tracing::TraceContext> parent = tracing::ParseTraceparent(
        auth::MetadataValue(metadata, tracing::kTraceparentHeader, auth::kMaxIdentityHeaderBytes));
    call_.trace = tracing::Tracer::Global().ChildOf(parent.has_value() ? &*parent : nullptr);
    call_.parent_span_id = parent.has_value() ? parent->span_id : "";
    // Only another service may say whom it acts for; anyone else speaks for themselves.
    if (call_.principal.Has(security::v1::SERVICE)) {
      call_.on_behalf_of =
          auth::MetadataValue(metadata, auth::kOnBehalfOfHeader, auth::kMaxIdentityHeaderBytes);
    }
  }

  void Finish(const grpc::Status& status) {
    Leave();
    auth::CountCallServed();
    absl::Time ended = absl::Now();
    RecordSpan(status, ended);
    bool failed = !status.ok() && status.error_code() != grpc::StatusCode::CANCELLED;
    if (!failed && !log_calls_) return;
    LogFields fields = auth::CallLogFields(call_);
    fields.status = StatusCodeName(status.error_code());
    fields.duration_us = absl::ToInt64Microseconds(ended - started_);
    if (!failed) {
      LogLine(LogLevel::kInfo, "served", fields);
      return;
    }
    LogLine(LogLevel::kWarning, absl::StrCat("failed: ", status.error_message()), fields);
    bool refused = status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    if (audit_ != nullptr && (is_write_(call_.method) || refused)) {
      audit_->RecordFailure(call_, StatusCodeName(status.error_code()), status.error_message());
    }
  }

  // The call's SERVER span, exported when its trace is sampled.
  void RecordSpan(const grpc::Status& status, absl::Time ended) {
    if (!call_.trace.valid()) return;
    tracing::Span span;
    span.trace_id = call_.trace.trace_id;
    span.span_id = call_.trace.span_id;
    span.parent_span_id = call_.parent_span_id;
    span.name = call_.method;
    span.kind = tracing::Span::Kind::kServer;
    span.start = started_;
    span.end = ended;
    span.error = !status.ok();
    span.status_message = status.error_message();
    span.attributes = {{"rpc.system", "grpc"},
                       {"rpc.grpc.status_code", StatusCodeName(status.error_code())},
                       {"oms.request_id", call_.request_id},
                       {"enduser.id", call_.principal.name}};
    tracing::Tracer::Global().Record(std::move(span), call_.trace.sampled);
  }

  grpc::experimental::ServerRpcInfo* info_;
  const auth::KeyStore* keys_;
  AuditLog* audit_;
  const std::function<bool(const std::string&)>& is_write_;
  const bool log_calls_;
  absl::Time started_;
  bool entered_ = false;
  auth::CallInfo call_;
};

}  // namespace

grpc::experimental::Interceptor* CallTrackerFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallTracker(info, keys_, audit_, is_write_, log_calls_);
}

std::string StatusCodeName(grpc::StatusCode code) {
  // gRPC's and absl's codes are the same numbers.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string NewRequestId() {
  static thread_local absl::BitGen gen;
  return absl::StrFormat("req_%016x", absl::Uniform<uint64_t>(gen));
}

}  // namespace oms
