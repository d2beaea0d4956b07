#include "platform/grpc_server.h"

#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "src/proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "platform/event_feed_service.h"

namespace oms {
namespace {

using grpc::health::v1::HealthCheckResponse;

class GrpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *Database::Open(":memory:");
    ASSERT_TRUE(db_->Migrate("outbox", Outbox::Migrations()).ok());
    outbox_ = std::make_unique<Outbox>(db_.get(), "t", Clock::Real(), &ids_);
    feed_ = std::make_unique<EventFeedService>(outbox_.get());
    server_ = std::make_unique<GrpcServer>(GrpcServerOptions());
    server_->AddService(feed_.get(), "oms.events.v1.EventFeed");
    ASSERT_TRUE(server_->Start().ok());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  grpc::Status Check(const std::string& service, HealthCheckResponse* response) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    return grpc::health::v1::Health::NewStub(channel_)->Check(&context, request, response);
  }

  IdGenerator ids_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<EventFeedService> feed_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcServerTest, HealthReportsServerAndEachService) {
  HealthCheckResponse response;
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  ASSERT_TRUE(Check("oms.events.v1.EventFeed", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  EXPECT_EQ(Check("no.such.Service", &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcServerTest, ReflectionListsServicesAndDescribesHealth) {
  using grpc::reflection::v1alpha::ServerReflection;
  using grpc::reflection::v1alpha::ServerReflectionRequest;
  using grpc::reflection::v1alpha::ServerReflectionResponse;
  auto stub = ServerReflection::NewStub(channel_);
  grpc::ClientContext context;
  auto stream = stub->ServerReflectionInfo(&context);
  ServerReflectionRequest list;
  list.set_list_services("");
  ASSERT_TRUE(stream->Write(list));
  ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::set<std::string> names;
  for (const auto& s : response.list_services_response().service()) names.insert(s.name());
  EXPECT_TRUE(names.count("grpc.health.v1.Health"));
  EXPECT_TRUE(names.count("oms.events.v1.EventFeed"));
  EXPECT_TRUE(names.count("grpc.reflection.v1alpha.ServerReflection"));
  // What grpcurl needs to call Health/Check without proto files: its descriptor.
  ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("grpc.health.v1.Health");
  ASSERT_TRUE(stream->Write(symbol));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(), 0);
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(GrpcServerTest, ShutdownEndsHealthWatchWithNotServing) {
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  auto health = grpc::health::v1::Health::NewStub(channel_);
  auto reader = health->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  std::thread stopper([this] { server_->Shutdown(); });
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  reader->Finish();
  stopper.join();
}

TEST(GrpcServerStartTest, PortInUseIsAClearError) {
  GrpcServer first{GrpcServerOptions()};
  ASSERT_TRUE(first.Start().ok());
  GrpcServerOptions options;
  options.listen_address = "127.0.0.1:" + std::to_string(first.port());
  GrpcServer second(options);
  // SO_REUSEPORT is off: a second copy of a service must not silently share the port.
  absl::Status status = second.Start();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(status.message().find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace oms
