#include "platform/security/client_channel.h"

#include <vector>

#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"
#include "platform/security/call_context.h"
#include "platform/security/call_tracker.h"
#include "platform/tracing/tracer.h"

namespace oms {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Adds the key and the request's identity to every outgoing call, and, inside a trace, a
// CLIENT span whose id the callee gets as its parent in `traceparent`.
class IdentityInterceptor : public grpc::experimental::Interceptor {
 public:
  IdentityInterceptor(const std::string* authorization, const char* method)
      : authorization_(authorization), method_(method == nullptr ? "" : method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      std::multimap<std::string, std::string>* metadata = methods->GetSendInitialMetadata();
      if (!authorization_->empty()) metadata->emplace("authorization", *authorization_);
      const auth::CallInfo* call = auth::CurrentCall();
      if (metadata->find(auth::kRequestIdHeader) == metadata->end()) {
        metadata->emplace(auth::kRequestIdHeader,
                          call != nullptr ? call->request_id : NewRequestId());
      }
      if (call != nullptr) {
        const std::string& user =
            call->on_behalf_of.empty() ? call->principal.name : call->on_behalf_of;
        if (!user.empty()) metadata->emplace(auth::kOnBehalfOfHeader, user);
      }
      StartSpan(*metadata);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      EndSpan(*methods->GetRecvStatus());
    }
    methods->Proceed();
  }

 private:
  void StartSpan(std::multimap<std::string, std::string>& metadata) {
    const tracing::TraceContext* parent = tracing::CurrentTrace();
    if (parent == nullptr || !parent->valid()) return;  // work outside any trace
    span_.trace_id = parent->trace_id;
    span_.parent_span_id = parent->span_id;
    tracing::TraceContext mine = tracing::Tracer::Global().ChildOf(parent);
    span_.span_id = mine.span_id;
    sampled_ = mine.sampled;
    span_.name = method_;
    span_.kind = tracing::Span::Kind::kClient;
    span_.start = absl::Now();
    metadata.emplace(tracing::kTraceparentHeader, tracing::FormatTraceparent(mine));
  }

  void EndSpan(const grpc::Status& status) {
    if (span_.trace_id.empty()) return;
    span_.end = absl::Now();
    span_.error = !status.ok();
    span_.status_message = status.error_message();
    span_.attributes = {{"rpc.system", "grpc"},
                        {"rpc.grpc.status_code", StatusCodeName(status.error_code())}};
    tracing::Tracer::Global().Record(std::move(span_), sampled_);
    span_.trace_id.clear();
  }

  const std::string* authorization_;
  std::string method_;
  tracing::Span span_;
  bool sampled_ = false;
};

class IdentityInterceptorFactory : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit IdentityInterceptorFactory(std::string bearer_token)
      : authorization_(bearer_token.empty() ? "" : "Bearer " + bearer_token) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new IdentityInterceptor(&authorization_, info->method());
  }

 private:
  const std::string authorization_;  // lives as long as the channel holds the factory
};

ClientSecurity* peer_security = new ClientSecurity;

// Calls are spread over every address the target resolves to (the replicas of a service),
// and one that fails with UNAVAILABLE before the server took it is tried again on another:
// a replica can die without failing the calls a retry carries. Mutating calls carry
// idempotency keys, so a retried call has no second effect.
constexpr char kReplicaServiceConfig[] = R"json({
  "loadBalancingConfig": [{"round_robin": {}}],
  "methodConfig": [{
    "name": [{}],
    "retryPolicy": {
      "maxAttempts": 4,
      "initialBackoff": "0.05s",
      "maxBackoff": "1s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

}  // namespace

std::string ChannelTarget(const std::string& address) {
  if (address.find(':') == std::string::npos) return address;  // a bare name
  for (const char* scheme : {"dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:"}) {
    if (address.rfind(scheme, 0) == 0) return address;
  }
  if (address.find(',') == std::string::npos) return address;
  return (address[0] == '[' ? "ipv6:" : "ipv4:") + address;
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address,
                                           const ClientSecurity& security,
                                           grpc::ChannelArguments args) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (security.tls.enabled()) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = security.tls.ca;
    tls.pem_cert_chain = security.tls.cert;
    tls.pem_private_key = security.tls.key;
    credentials = grpc::SslCredentials(tls);
    if (!security.tls_server_name.empty()) {
      args.SetSslTargetNameOverride(security.tls_server_name);
    }
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  args.SetServiceConfigJSON(kReplicaServiceConfig);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<IdentityInterceptorFactory>(security.bearer_token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      ChannelTarget(address), credentials, args, std::move(factories));
}

void SetPeerSecurity(ClientSecurity security) { *peer_security = std::move(security); }

std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address) {
  return OpenChannel(address, *peer_security);
}

}  // namespace oms
