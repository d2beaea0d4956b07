#include "platform/server/grpc_server.h"

#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "platform/events/event_feed_service.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/reflection_client.h"

namespace oms {
namespace {

using grpc::health::v1::HealthCheckResponse;

class GrpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *SqliteDatabase::Open(":memory:");
    ASSERT_TRUE(db_->Migrate("outbox", Outbox::Migrations()).ok());
    commits_ = std::make_unique<CommitSignal>(db_.get());
    outbox_ = std::make_unique<Outbox>(db_.get(), "t", Clock::Real(), &ids_, commits_.get());
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

  // A Watch of the whole server's health.
  std::unique_ptr<grpc::ClientReader<HealthCheckResponse>> WatchHealth(
      grpc::ClientContext& context) {
    return grpc::health::v1::Health::NewStub(channel_)->Watch(
        &context, grpc::health::v1::HealthCheckRequest());
  }

  IdGenerator ids_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CommitSignal> commits_;
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
  absl::StatusOr<std::set<std::string>> names = testing::ListServicesByReflection(channel_);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_TRUE(names->count("grpc.health.v1.Health"));
  EXPECT_TRUE(names->count("oms.events.v1.EventFeed"));
  EXPECT_TRUE(names->count("grpc.reflection.v1alpha.ServerReflection"));
  // What grpcurl needs to call Health/Check without proto files: its descriptor.
  auto methods = testing::DescribeServiceByReflection(channel_, "grpc.health.v1.Health");
  ASSERT_TRUE(methods.ok()) << methods.status();
  EXPECT_EQ(*methods, (std::vector<std::string>{"Check", "Watch"}));
  EXPECT_EQ(testing::DescribeServiceByReflection(channel_, "no.such.Service").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(GrpcServerTest, ShutdownEndsHealthWatchWithNotServing) {
  grpc::ClientContext context;
  auto reader = WatchHealth(context);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  std::thread stopper([this] { server_->Shutdown(); });
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  reader->Finish();
  stopper.join();
}

TEST_F(GrpcServerTest, AFailedHealthStaysNotServingAndWatchersSeeIt) {
  grpc::ClientContext context;
  auto reader = WatchHealth(context);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  server_->health().Fail();
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  // Nothing brings it back short of a restart.
  server_->health().SetStatus("", HealthCheckResponse::SERVING);
  ASSERT_TRUE(Check("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  ASSERT_TRUE(Check("oms.events.v1.EventFeed", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  context.TryCancel();
  reader->Finish();
}

// A feed whose ListEvents answers only when the test lets it, and says if it was cancelled
// while it waited.
class HeldFeed final : public events::v1::EventFeed::Service {
 public:
  grpc::Status ListEvents(grpc::ServerContext* context, const events::v1::ListEventsRequest*,
                          events::v1::ListEventsResponse* response) override {
    entered.Notify();
    while (!release.WaitForNotificationWithTimeout(absl::Milliseconds(5))) {
      if (context->IsCancelled()) {
        cancelled.Notify();
        return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled while in flight");
      }
    }
    response->set_last_seq(7);
    return grpc::Status::OK;
  }
  absl::Notification entered;
  absl::Notification release;
  absl::Notification cancelled;
};

// The drain closes idle connections once no call is left; a call still running is not cut.
TEST(GrpcServerShutdownTest, ACallInFlightFinishesBeforeTheServerStops) {
  HeldFeed feed;
  GrpcServerOptions options;
  options.shutdown_grace = absl::Minutes(10);
  GrpcServer server(options);
  server.AddService(&feed, "oms.events.v1.EventFeed");
  absl::Notification draining;
  server.AddShutdownHook([&] { draining.Notify(); });
  ASSERT_TRUE(server.Start().ok());
  auto stub = events::v1::EventFeed::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server.port()), grpc::InsecureChannelCredentials()));
  grpc::Status answered;
  events::v1::ListEventsResponse response;
  std::thread caller([&] {
    grpc::ClientContext context;
    answered = stub->ListEvents(&context, events::v1::ListEventsRequest(), &response);
  });
  feed.entered.WaitForNotification();
  std::thread stopper([&] { server.Shutdown(); });
  draining.WaitForNotification();
  // The drain polls every 20 ms: ten rounds in which it must leave the call alone.
  EXPECT_FALSE(feed.cancelled.WaitForNotificationWithTimeout(absl::Milliseconds(200)));
  feed.release.Notify();
  caller.join();
  stopper.join();
  EXPECT_TRUE(answered.ok()) << answered.error_message();
  EXPECT_EQ(response.last_seq(), 7);
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
