#include "platform/server/in_flight_calls.h"

#include <thread>

#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "platform/server/health_service.h"

namespace oms {
namespace {

TEST(InFlightCallsTest, NoCallsMeansNoneToWaitFor) {
  InFlightCalls calls;
  EXPECT_EQ(calls.count(), 0);
  EXPECT_TRUE(calls.WaitUntilNone(absl::InfinitePast()));
}

TEST(InFlightCallsTest, ACallIsCountedWhileItRunsAndNotAfter) {
  InFlightCalls calls;
  HealthService health;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&health);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(calls.Factory());
  builder.experimental().SetInterceptorCreators(std::move(creators));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  health.SetStatus("", grpc::health::v1::HealthCheckResponse::SERVING);
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  // A Watch stays in flight until the server ends it.
  grpc::ClientContext watch_context;
  auto watch = stub->Watch(&watch_context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(calls.count(), 1);
  EXPECT_FALSE(calls.WaitUntilNone(absl::Now()));

  health.Shutdown();  // ends the watch
  while (watch->Read(&response)) {
  }
  watch->Finish();
  EXPECT_TRUE(calls.WaitUntilNone(absl::InfiniteFuture()));
  EXPECT_EQ(calls.count(), 0);
  server->Shutdown();
}

}  // namespace
}  // namespace oms
