// health_check: asks a server's grpc.health.v1.Health whether it is SERVING. Used by
// `./oms up` and `./oms status`; exit status 0 only when SERVING.
//   health_check --target=127.0.0.1:50051 [--service=oms.order.v1.OrderService] [--wait=30s]
//                [--tls_ca=ca.pem [--tls_cert=c.pem --tls_key=k.pem] [--tls_server_name=...]]
// With TLS flags it is the exec probe of the Kubernetes manifests (deploy/kubernetes), whose
// servers serve TLS only; health needs no API key.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "platform/security/client_channel.h"
#include "platform/security/tls_files.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "host:port of the server");
ABSL_FLAG(std::string, service, "", "service name to check; empty for the whole server");
ABSL_FLAG(absl::Duration, wait, absl::ZeroDuration(),
          "keep asking until SERVING or this much time has passed");
ABSL_FLAG(std::string, tls_ca, "", "CA (PEM) of the server's certificate: ask over TLS");
ABSL_FLAG(std::string, tls_cert, "", "client certificate (PEM), for a mutual-TLS server");
ABSL_FLAG(std::string, tls_key, "", "client private key (PEM)");
ABSL_FLAG(std::string, tls_server_name, "", "name to check in the server's certificate");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string target = absl::GetFlag(FLAGS_target);
  absl::StatusOr<oms::TlsPem> tls = oms::ReadTlsPem(
      absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key));
  if (!tls.ok()) {
    std::cout << target << " " << tls.status().message() << std::endl;
    return 2;
  }
  oms::ClientSecurity security;
  security.tls = *tls;
  security.tls_server_name = absl::GetFlag(FLAGS_tls_server_name);
  const absl::Time give_up = absl::Now() + absl::GetFlag(FLAGS_wait);
  std::string answer;
  while (true) {
    // A new channel per attempt: a channel whose first connect failed (the process is still
    // starting) waits out gRPC's reconnect backoff (1 s, then 1.6x), so polling one channel
    // found a service up ~5 s after it was.
    auto stub = grpc::health::v1::Health::NewStub(
        tls->ca.empty() ? grpc::CreateChannel(target, grpc::InsecureChannelCredentials())
                        : oms::OpenChannel(target, security));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(absl::GetFlag(FLAGS_service));
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok()) {
      answer = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status());
      if (response.status() == grpc::health::v1::HealthCheckResponse::SERVING) break;
    } else {
      answer = "DOWN (" + status.error_message() + ")";
    }
    if (absl::Now() >= give_up) {
      std::cout << target << " " << answer << std::endl;
      return 1;
    }
    absl::SleepFor(absl::Milliseconds(100));  // polling a process that is starting up
  }
  std::cout << target << " " << answer << std::endl;
  return 0;
}
