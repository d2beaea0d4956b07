#include "platform/server/grpc_server.h"

#include <algorithm>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/server_interceptor.h"
#include "platform/base/log.h"
#include "platform/security/auth_processor.h"
#include "platform/security/call_tracker.h"
#include "platform/server/rpc_metrics.h"

namespace oms {
namespace {

constexpr absl::Duration kClosePollInterval = absl::Milliseconds(20);

bool IsLoopback(const std::string& address) {
  return absl::StartsWith(address, "127.") || absl::StartsWith(address, "localhost:") ||
         absl::StartsWith(address, "[::1]:");
}

// TLS from the certificate files, read again every `interval` by gRPC's file watcher: a
// renewed certificate (or client CA) is served to new connections without a restart.
std::shared_ptr<grpc::ServerCredentials> WatchedTlsCredentials(const TlsPem& tls,
                                                               absl::Duration interval) {
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.key_path, tls.cert_path, tls.ca_path,
      static_cast<unsigned int>(std::max<int64_t>(1, absl::ToInt64Seconds(interval))));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (!tls.ca_path.empty()) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace

GrpcServer::GrpcServer(GrpcServerOptions options) : options_(std::move(options)) {}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::AddService(grpc::Service* service, const std::string& full_name,
                            const auth::AccessPolicy* policy) {
  services_.push_back({service, full_name, policy});
}

bool GrpcServer::IsWrite(const std::string& method) const {
  for (const Served& served : services_) {
    if (served.policy == nullptr) continue;
    if (const auth::MethodRule* rule = served.policy->Find(method)) {
      return rule->access == auth::Access::kWrite;
    }
  }
  return true;  // unknown: assume it could have changed something
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcServer::Credentials() const {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (!options_.tls.cert_path.empty()) {
    credentials = WatchedTlsCredentials(options_.tls, options_.tls_reload_interval);
  } else if (!options_.tls.cert.empty()) {
    grpc::SslServerCredentialsOptions tls(
        options_.tls.ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = options_.tls.ca;
    tls.pem_key_cert_pairs.push_back({options_.tls.key, options_.tls.cert});
    credentials = grpc::SslServerCredentials(tls);
  } else if (!options_.tls.ca.empty()) {
    return absl::InvalidArgumentError(
        "a client CA (mutual TLS) needs the server's own certificate");
  } else if (options_.keys != nullptr) {
    // Keys over plaintext are only safe where nobody can listen in: loopback.
    if (!IsLoopback(options_.listen_address)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "listening on ", options_.listen_address,
          " without TLS: plaintext is only served on loopback; give --tls_cert and --tls_key"));
    }
    credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
  } else {
    return grpc::InsecureServerCredentials();
  }
  if (options_.keys != nullptr) {
    std::vector<const auth::AccessPolicy*> policies;
    for (const Served& served : services_) {
      if (served.policy == nullptr) {
        return absl::InternalError(absl::StrCat(served.full_name, " has no access table"));
      }
      if (absl::Status valid = served.policy->Validate(); !valid.ok()) return valid;
      policies.push_back(served.policy);
    }
    AuditLog* audit = options_.audit;
    credentials->SetAuthMetadataProcessor(std::make_shared<auth::AuthProcessor>(
        options_.keys, policies, options_.write_limiter,
        [audit](const auth::CallInfo& call, const grpc::Status& status) {
          LogFields fields = auth::CallLogFields(call);
          fields.status = StatusCodeName(status.error_code());
          LogLine(LogLevel::kWarning, absl::StrCat("refused: ", status.error_message()), fields);
          if (audit != nullptr) {
            audit->RecordFailure(call, StatusCodeName(status.error_code()), status.error_message());
          }
        },
        options_.key_checks_may_block));
  }
  return credentials;
}

absl::Status GrpcServer::Start() {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = Credentials();
  if (!credentials.ok()) return credentials.status();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, *credentials, &port_);
  // Two copies of a service on one port would split its traffic silently: refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              options_.max_idle_threads);
  builder.RegisterService(&health_);
  for (const Served& served : services_) builder.RegisterService(served.service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(in_flight_.Factory());
  creators.push_back(std::make_unique<RpcMetricsFactory>());
  creators.push_back(std::make_unique<CallTrackerFactory>(
      options_.keys, options_.audit, [this](const std::string& method) { return IsWrite(method); },
      options_.log_calls));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen_address, " (address in use?)"));
  }
  health_.SetStatus("", grpc::health::v1::HealthCheckResponse::SERVING);
  for (const Served& served : services_) {
    health_.SetStatus(served.full_name, grpc::health::v1::HealthCheckResponse::SERVING);
  }
  LogInfo(options_.name, " serving on port ", port_);
  return absl::OkStatus();
}

void GrpcServer::Shutdown() {
  if (server_ == nullptr || shut_down_) return;
  shut_down_ = true;
  health_.Shutdown();
  for (auto& hook : shutdown_hooks_) hook();
  absl::Time deadline = absl::Now() + options_.shutdown_grace;
  absl::Notification stopped;
  std::thread stopper([&] {
    server_->Shutdown(absl::ToChronoTime(deadline));
    stopped.Notify();
  });
  // gRPC's drain ends only once every client connection is closed, and an idle client keeps
  // its own open until the grace runs out. Once no call is left, close them. Repeated
  // because the first attempt may come before the server has stopped accepting.
  while (in_flight_.WaitUntilNone(deadline) &&
         !stopped.WaitForNotificationWithTimeout(kClosePollInterval)) {
    grpc_server_cancel_all_calls(server_->c_server());
  }
  stopper.join();
  server_->Wait();
  LogInfo(options_.name, " stopped serving");
}

}  // namespace oms
