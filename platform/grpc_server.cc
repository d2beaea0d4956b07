#include "platform/grpc_server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/server_interceptor.h"
#include "platform/log.h"

namespace oms {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  int index = static_cast<int>(code);
  return index >= 0 && index <= 16 ? kNames[index] : "?";
}

// Logs every call that ends with an error (cancellations by the caller excepted).
class FailureLogger : public grpc::experimental::Interceptor {
 public:
  explicit FailureLogger(grpc::experimental::ServerRpcInfo* info) : method_(info->method()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
        LogWarning(method_, " failed: ", CodeName(status.error_code()), ": ",
                   status.error_message());
      }
    }
    methods->Proceed();
  }

 private:
  std::string method_;
};

class FailureLoggerFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new FailureLogger(info);
  }
};

}  // namespace

GrpcServer::GrpcServer(GrpcServerOptions options) : options_(std::move(options)) {}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::AddService(grpc::Service* service, const std::string& full_name) {
  services_.emplace_back(service, full_name);
}

absl::Status GrpcServer::Start() {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, grpc::InsecureServerCredentials(), &port_);
  // Two copies of a service on one port would split its traffic silently: refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  builder.RegisterService(&health_);
  for (auto& [service, name] : services_) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<FailureLoggerFactory>());
  builder.experimental().SetInterceptorCreators(std::move(creators));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen_address, " (address in use?)"));
  }
  health_.SetStatus("", grpc::health::v1::HealthCheckResponse::SERVING);
  for (auto& [service, name] : services_) {
    health_.SetStatus(name, grpc::health::v1::HealthCheckResponse::SERVING);
  }
  LogInfo(options_.name, " serving on port ", port_);
  return absl::OkStatus();
}

void GrpcServer::Shutdown() {
  if (server_ == nullptr || shut_down_) return;
  shut_down_ = true;
  health_.Shutdown();
  for (auto& hook : shutdown_hooks_) hook();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  server_->Wait();
  LogInfo(options_.name, " stopped serving");
}

}  // namespace oms
