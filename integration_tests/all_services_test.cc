// Every one of the six binaries, run for real: health answers SERVING, reflection lists its
// service with EventFeed, health and reflection, and serves the health descriptor (what
// grpcurl needs to call Health/Check without proto files), GetServiceInfo and the EventFeed
// work, and SIGTERM exits cleanly.
#include <algorithm>
#include <set>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "platform/testing/reflection_client.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

struct Binary {
  std::string name;
  std::string service;
};

void PrintTo(const Binary& binary, std::ostream* os) { *os << binary.name; }

class AllServicesTest : public ::testing::TestWithParam<Binary> {
 protected:
  void SetUp() override { ASSERT_TRUE(process_.Start().ok()); }

  testing::TempDir dir_;
  ServiceProcess process_{GetParam().name, dir_.path()};
};

TEST_P(AllServicesTest, HealthCheckAnswersServingForServerAndService) {
  auto health = grpc::health::v1::Health::NewStub(process_.NewChannel());
  for (const std::string& service :
       {std::string(""), GetParam().service, std::string("oms.events.v1.EventFeed")}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_P(AllServicesTest, ReflectionListsServicesAndDescribesThemWellEnoughToCall) {
  auto channel = process_.NewChannel();
  absl::StatusOr<std::set<std::string>> names = testing::ListServicesByReflection(channel);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(*names, (std::set<std::string>{GetParam().service, "oms.events.v1.EventFeed",
                                           "grpc.health.v1.Health",
                                           "grpc.reflection.v1alpha.ServerReflection"}));
  auto health = testing::DescribeServiceByReflection(channel, "grpc.health.v1.Health");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, (std::vector<std::string>{"Check", "Watch"}));
  auto feed = testing::DescribeServiceByReflection(channel, "oms.events.v1.EventFeed");
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(*feed, (std::vector<std::string>{"ListEvents", "WatchEvents"}));
  auto own = testing::DescribeServiceByReflection(channel, GetParam().service);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_NE(std::find(own->begin(), own->end(), "GetServiceInfo"), own->end());
}

// GetServiceInfo through a generic call: every service has the same method shape.
TEST_P(AllServicesTest, ServiceInfoNamesTheBinaryAndItsStore) {
  auto channel = process_.NewChannel();
  grpc::ClientContext context;
  common::v1::GetServiceInfoRequest request;
  common::v1::ServiceInfo info;
  grpc::Status status = grpc::internal::BlockingUnaryCall(
      channel.get(),
      grpc::internal::RpcMethod(("/" + GetParam().service + "/GetServiceInfo").c_str(),
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &context, request, &info);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(info.service(), GetParam().name);
  EXPECT_EQ(info.store_path(), process_.db_path());
  EXPECT_EQ(info.schema_versions().at("outbox"), 1);
  EXPECT_EQ(info.peers().size(), 5u);  // the other five, not itself
  EXPECT_EQ(info.peers().count(GetParam().name), 0u);
}

TEST_P(AllServicesTest, EventFeedAnswersAndSigtermExitsCleanly) {
  auto feed = events::v1::EventFeed::NewStub(process_.NewChannel());
  grpc::ClientContext context;
  events::v1::ListEventsResponse response;
  ASSERT_TRUE(feed->ListEvents(&context, events::v1::ListEventsRequest(), &response).ok());
  EXPECT_EQ(response.last_seq(), 0);
  absl::StatusOr<int> exit_code = process_.Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Binaries, AllServicesTest,
    ::testing::Values(Binary{"orchestrator_svc", "oms.orchestrator.v1.OrchestratorService"},
                      Binary{"order_svc", "oms.order.v1.OrderService"},
                      Binary{"inventory_svc", "oms.inventory.v1.InventoryService"},
                      Binary{"logistics_svc", "oms.logistics.v1.LogisticsService"},
                      Binary{"notify_svc", "oms.notify.v1.NotifyService"},
                      Binary{"analytics_svc", "oms.analytics.v1.AnalyticsService"}),
    [](const ::testing::TestParamInfo<Binary>& info) { return info.param.name; });

}  // namespace
}  // namespace oms::integration
