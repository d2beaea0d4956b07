#include "platform/security/client_channel.h"

#include <atomic>
#include <memory>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace oms {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One replica: answers SERVING and counts the calls it took.
class CountingHealth : public Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext*, const HealthCheckRequest*,
                     HealthCheckResponse* response) override {
    ++calls;
    response->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }
  std::atomic<int> calls{0};
};

struct Replica {
  Replica() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }

  int port = 0;
  CountingHealth service;
  std::unique_ptr<grpc::Server> server;
};

int CallsThatSucceed(Health::Stub& stub, int n) {
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    HealthCheckResponse response;
    if (stub.Check(&context, HealthCheckRequest(), &response).ok()) ++ok;
  }
  return ok;
}

TEST(ChannelTargetTest, AListOfReplicasGetsTheSchemeGrpcNeeds) {
  EXPECT_EQ(ChannelTarget("127.0.0.1:50052"), "127.0.0.1:50052");
  EXPECT_EQ(ChannelTarget("127.0.0.1:50052,127.0.0.1:50062"),
            "ipv4:127.0.0.1:50052,127.0.0.1:50062");
  EXPECT_EQ(ChannelTarget("[::1]:1,[::1]:2"), "ipv6:[::1]:1,[::1]:2");
  EXPECT_EQ(ChannelTarget("ipv4:10.0.0.1:1,10.0.0.2:1"), "ipv4:10.0.0.1:1,10.0.0.2:1");
  EXPECT_EQ(ChannelTarget("dns:///order-svc.oms.svc:50051"), "dns:///order-svc.oms.svc:50051");
  EXPECT_EQ(ChannelTarget("order-svc:50051"), "order-svc:50051");
}

TEST(ClientChannelTest, CallsAreSpreadOverReplicasAndSurviveOneGoingAway) {
  Replica a;
  Replica b;
  auto stub = Health::NewStub(OpenChannel(a.address() + "," + b.address(), ClientSecurity()));
  EXPECT_EQ(CallsThatSucceed(*stub, 40), 40);
  EXPECT_GT(a.service.calls, 0);
  EXPECT_GT(b.service.calls, 0);

  b.server->Shutdown();
  b.server->Wait();
  const int a_before = a.service.calls;
  EXPECT_EQ(CallsThatSucceed(*stub, 40), 40);  // none lost to the replica that went away
  EXPECT_EQ(a.service.calls - a_before, 40);
}

}  // namespace
}  // namespace oms
