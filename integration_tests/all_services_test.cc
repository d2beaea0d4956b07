// Every one of the six binaries, run for real: health answers SERVING, reflection lists its
// service with EventFeed, health and reflection, and serves the health descriptor (what
// grpcurl needs to call Health/Check without proto files), GetServiceInfo and the EventFeed
// work, every other call needs a key with the right role, and SIGTERM exits cleanly.
#include <algorithm>
#include <set>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
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
#include "oms/security/v1/security.grpc.pb.h"
#include "platform/testing/reflection_client.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

struct Binary {
  std::string name;
  std::string service;
  std::vector<std::string> more_services = {};  // served beside `service`
};

void PrintTo(const Binary& binary, std::ostream* os) { *os << binary.name; }

class AllServicesTest : public ::testing::TestWithParam<Binary> {
 protected:
  void SetUp() override { ASSERT_TRUE(Started(process_.Start())); }

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
  std::set<std::string> expected = {GetParam().service, "oms.events.v1.EventFeed",
                                    "oms.security.v1.AuditLog", "grpc.health.v1.Health",
                                    "grpc.reflection.v1alpha.ServerReflection",
                                    // every store's part of an erasure or a reseal
                                    "oms.privacy.v1.PersonalRecords"};
  // The suite-wide erasure and reseal are the orchestrator's.
  if (GetParam().name == "orchestrator_svc") expected.insert("oms.privacy.v1.PersonalData");
  expected.insert(GetParam().more_services.begin(), GetParam().more_services.end());
  EXPECT_EQ(*names, expected);
  for (const std::string& more : GetParam().more_services) {
    auto described = testing::DescribeServiceByReflection(channel, more);
    ASSERT_TRUE(described.ok()) << more << ": " << described.status();
    EXPECT_FALSE(described->empty()) << more;
  }
  auto health = testing::DescribeServiceByReflection(channel, "grpc.health.v1.Health");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, (std::vector<std::string>{"Check", "Watch"}));
  auto feed = testing::DescribeServiceByReflection(channel, "oms.events.v1.EventFeed");
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_EQ(*feed, (std::vector<std::string>{"ListEvents", "WatchEvents", "WatchEventBatches"}));
  auto own = testing::DescribeServiceByReflection(channel, GetParam().service);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_NE(std::find(own->begin(), own->end(), "GetServiceInfo"), own->end());
}

// GetServiceInfo through a generic call: every service has the same method shape.
grpc::Status CallServiceInfo(const std::shared_ptr<grpc::Channel>& channel,
                             const std::string& service, common::v1::ServiceInfo* info) {
  grpc::ClientContext context;
  common::v1::GetServiceInfoRequest request;
  return grpc::internal::BlockingUnaryCall(
      channel.get(),
      grpc::internal::RpcMethod(("/" + service + "/GetServiceInfo").c_str(),
                                grpc::internal::RpcMethod::NORMAL_RPC),
      &context, request, info);
}

TEST_P(AllServicesTest, ServiceInfoNamesTheBinaryAndItsStore) {
  common::v1::ServiceInfo info;
  grpc::Status status = CallServiceInfo(process_.NewChannel(), GetParam().service, &info);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(info.service(), GetParam().name);
  EXPECT_EQ(info.store_path(), process_.db_path());
  EXPECT_EQ(info.schema_versions().at("outbox"), 5);
  EXPECT_EQ(info.peers().size(), 5u);  // the other five, not itself
  EXPECT_EQ(info.peers().count(GetParam().name), 0u);
}

// The counters tools/loadgen divides by the operations it ran (calls, commits, CPU).
TEST_P(AllServicesTest, ServiceInfoCountsCallsCommitsAndCpu) {
  common::v1::ServiceInfo before, after, refused;
  ASSERT_TRUE(CallServiceInfo(process_.NewChannel(), GetParam().service, &before).ok());
  // A refused call is a commit (its audit entry) but not a call served by a handler.
  EXPECT_FALSE(CallServiceInfo(process_.NewChannel("nobody"), GetParam().service, &refused).ok());
  ASSERT_TRUE(CallServiceInfo(process_.NewChannel(), GetParam().service, &after).ok());
  EXPECT_EQ(after.calls_served(), before.calls_served() + 1);  // the first read finished
  EXPECT_GT(after.commits(), before.commits());
  EXPECT_GT(before.cpu_micros(), 0);
  EXPECT_GE(after.cpu_micros(), before.cpu_micros());
}

TEST_P(AllServicesTest, EveryCallButHealthAndReflectionNeedsAKeyWithTheRightRole) {
  common::v1::ServiceInfo info;
  grpc::Status anonymous =
      CallServiceInfo(process_.NewChannel("nobody"), GetParam().service, &info);
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(CallServiceInfo(process_.NewChannel("reader"), GetParam().service, &info).ok());

  auto as_reader = security::v1::AuditLog::NewStub(process_.NewChannel("reader"));
  grpc::ClientContext denied_context;
  security::v1::ListAuditLogResponse entries;
  grpc::Status denied =
      as_reader->ListAuditLog(&denied_context, security::v1::ListAuditLogRequest(), &entries);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("needs role ADMIN or OPS"), std::string::npos);

  // Both refusals are in the service's own audit log, attributed.
  auto as_ops = security::v1::AuditLog::NewStub(process_.NewChannel("ops"));
  grpc::ClientContext context;
  ASSERT_TRUE(as_ops->ListAuditLog(&context, security::v1::ListAuditLogRequest(), &entries).ok());
  ASSERT_EQ(entries.entries_size(), 2);
  EXPECT_EQ(entries.entries(0).principal(), "reader");
  EXPECT_EQ(entries.entries(0).outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(entries.entries(1).outcome(), "UNAUTHENTICATED");
}

// Every unary method, sent a request whose string fields are all far too long, answers
// INVALID_ARGUMENT naming them before any domain code runs (nothing is stored).
TEST_P(AllServicesTest, EveryMethodRefusesOversizedStrings) {
  auto channel = process_.NewChannel("admin");
  for (const std::string& service_name :
       {GetParam().service, std::string("oms.events.v1.EventFeed"),
        std::string("oms.security.v1.AuditLog")}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      if (method->client_streaming() || method->server_streaming()) continue;
      std::unique_ptr<google::protobuf::Message> request(
          google::protobuf::MessageFactory::generated_factory()
              ->GetPrototype(method->input_type())
              ->New());
      std::string first_string;
      for (int f = 0; f < method->input_type()->field_count(); ++f) {
        const google::protobuf::FieldDescriptor* field = method->input_type()->field(f);
        if (field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) continue;
        std::string huge(70000, 'x');
        if (field->is_repeated()) {
          request->GetReflection()->AddString(request.get(), field, huge);
        } else {
          request->GetReflection()->SetString(request.get(), field, huge);
        }
        if (first_string.empty()) first_string = field->name();
      }
      if (first_string.empty()) continue;  // nothing to make too long
      std::unique_ptr<google::protobuf::Message> response(
          google::protobuf::MessageFactory::generated_factory()
              ->GetPrototype(method->output_type())
              ->New());
      grpc::ClientContext context;
      std::string path = "/" + service_name + "/" + method->name();
      grpc::Status status =
          grpc::internal::BlockingUnaryCall<google::protobuf::Message, google::protobuf::Message>(
              channel.get(),
              grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
              &context, *request, response.get());
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << path;
      EXPECT_NE(status.error_message().find(first_string), std::string::npos)
          << path << ": " << status.error_message().substr(0, 300);
    }
  }
  // Past the server's maximum message size the transport itself refuses.
  grpc::ClientContext context;
  security::v1::ListAuditLogRequest huge;
  huge.set_principal(std::string(5 << 20, 'x'));
  security::v1::ListAuditLogResponse entries;
  EXPECT_EQ(
      security::v1::AuditLog::NewStub(channel)->ListAuditLog(&context, huge, &entries).error_code(),
      grpc::StatusCode::RESOURCE_EXHAUSTED);
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

// A client keeping its connection open, idle, used to hold every SIGTERM 5 s (or the whole
// --shutdown_grace when shorter: 3 s in these tests), as gRPC's drain waits for every
// connection to close. Now the drain ends with the last call: an idle server stops in
// about 0.1 s, so 2.5 s is a wide margin that the old drain could not meet.
TEST(ServiceStopTest, AnIdleClientDoesNotHoldTheDrainForTheGracePeriod) {
  testing::TempDir dir;
  ServiceProcess process("order_svc", dir.path(), {"--shutdown_grace=10m"});
  ASSERT_TRUE(Started(process.Start()));
  auto kept = process.NewChannel();
  grpc::ClientContext context;
  events::v1::ListEventsResponse response;
  ASSERT_TRUE(events::v1::EventFeed::NewStub(kept)
                  ->ListEvents(&context, events::v1::ListEventsRequest(), &response)
                  .ok());
  absl::StatusOr<int> exit_code = process.Stop(absl::Milliseconds(2500));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

TEST(ServiceStartTest, RefusesToStartWithoutItsKeyFile) {
  testing::TempDir dir;
  ServiceProcess process("order_svc", dir.path(), {"--auth_keys=" + dir.File("missing")});
  absl::Status started = process.Start();
  EXPECT_FALSE(started.ok());
  EXPECT_NE(started.ToString().find("cannot read key file"), std::string::npos) << started;
}

INSTANTIATE_TEST_SUITE_P(
    Binaries, AllServicesTest,
    ::testing::Values(Binary{"orchestrator_svc", "oms.orchestrator.v1.OrchestratorService"},
                      Binary{"order_svc", "oms.order.v1.OrderService"},
                      Binary{"inventory_svc",
                             "oms.inventory.v1.InventoryService",
                             {"oms.inventory.v1.PurchasingService"}},
                      Binary{"logistics_svc", "oms.logistics.v1.LogisticsService"},
                      Binary{"notify_svc", "oms.notify.v1.NotifyService"},
                      Binary{"analytics_svc",
                             "oms.analytics.v1.AnalyticsService",
                             {"oms.analytics.v1.AnomalyService"}}),
    [](const ::testing::TestParamInfo<Binary>& info) { return info.param.name; });

}  // namespace
}  // namespace oms::integration
