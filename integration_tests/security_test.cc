// Security over the real binaries: channel-bound keys placing orders through the
// orchestrator, peers calling each other with their own service keys on the caller's behalf
// (visible in each service's audit log under one request id), and mutual TLS on every hop
// with certificates from a throwaway CA made by openssl.
#include <cstdlib>
#include <set>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/test_pki.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "oms/security/v1/security.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/base/files.h"
#include "platform/security/client_channel.h"
#include "platform/security/key_store.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

orchestrator::v1::PlaceOrderRequest ErpOrder(const std::string& reference,
                                             order::v1::Channel channel = order::v1::ERP) {
  orchestrator::v1::PlaceOrderRequest request;
  request.set_idempotency_key("place-" + reference);
  *request.mutable_order() = order::SampleCreateOrder(reference);
  request.mutable_order()->set_channel(channel);
  return request;
}

// The four services an order passes through, each started with `flags`.
class Suite {
 public:
  Suite(const std::string& dir, std::vector<std::string> flags, const TlsPem& client_tls = {})
      : order_("order_svc", dir, flags), inventory_("inventory_svc", dir, flags) {
    logistics_ = LogisticsWithCarriers(dir, flags);
    for (ServiceProcess* p : {&order_, &inventory_, logistics_.get()})
      p->set_client_tls(client_tls);
    flags_ = std::move(flags);
    client_tls_ = client_tls;
  }

  absl::Status Start(const std::string& dir) {
    for (ServiceProcess* p : {&order_, &inventory_, logistics_.get()}) {
      if (absl::Status started = p->Start(); !started.ok()) return started;
    }
    orchestrator_ = OrchestratorFor(dir, order_, inventory_, *logistics_, flags_);
    orchestrator_->set_client_tls(client_tls_);
    if (absl::Status started = orchestrator_->Start(); !started.ok()) return started;
    auto inventory = inventory::v1::InventoryService::NewStub(inventory_.NewChannel());
    return SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 100}, {"CUP-CELADON", 100}});
  }

  ServiceProcess order_;
  ServiceProcess inventory_;
  std::unique_ptr<ServiceProcess> logistics_;
  std::unique_ptr<ServiceProcess> orchestrator_;
  std::vector<std::string> flags_;
  TlsPem client_tls_;
};

grpc::Status Place(const ServiceProcess& orchestrator, const std::string& principal,
                   const orchestrator::v1::PlaceOrderRequest& request,
                   orchestrator::v1::PlaceOrderResponse* response,
                   std::string* request_id = nullptr) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  grpc::Status status =
      orchestrator::v1::OrchestratorService::NewStub(orchestrator.NewChannel(principal))
          ->PlaceOrder(&context, request, response);
  auto id = context.GetServerInitialMetadata().find("x-request-id");
  if (request_id != nullptr && id != context.GetServerInitialMetadata().end()) {
    request_id->assign(id->second.data(), id->second.size());
  }
  return status;
}

TEST(SecurityTest, ChannelKeysPlaceTheirOwnOrdersAndPeersActOnTheirBehalf) {
  testing::TempDir dir;
  Suite suite(dir.path(), {});
  ASSERT_TRUE(suite.Start(dir.path()).ok());

  orchestrator::v1::PlaceOrderResponse placed;
  std::string request_id;
  grpc::Status status = Place(*suite.orchestrator_, "erp", ErpOrder("ERP-1"), &placed, &request_id);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(request_id.empty());

  grpc::Status cross =
      Place(*suite.orchestrator_, "erp", ErpOrder("WEB-1", order::v1::WEB), &placed);
  EXPECT_EQ(cross.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(cross.error_message().find("bound to channel ERP"), std::string::npos);
  EXPECT_EQ(Place(*suite.orchestrator_, "reader", ErpOrder("ERP-2"), &placed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Place(*suite.orchestrator_, "nobody", ErpOrder("ERP-3"), &placed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // order_svc recorded the order as created by the orchestrator's own key, for erp, under
  // the request id erp's call got back.
  auto audit = security::v1::AuditLog::NewStub(suite.order_.NewChannel("ops"));
  grpc::ClientContext context;
  security::v1::ListAuditLogRequest by_request;
  by_request.set_request_id(request_id);
  security::v1::ListAuditLogResponse log;
  ASSERT_TRUE(audit->ListAuditLog(&context, by_request, &log).ok());
  ASSERT_GE(log.entries_size(), 1);
  const security::v1::AuditEntry& created = log.entries(log.entries_size() - 1);
  EXPECT_EQ(created.method(), "/oms.order.v1.OrderService/CreateOrder");
  EXPECT_EQ(created.principal(), "orchestrator_svc");
  EXPECT_EQ(created.on_behalf_of(), "erp");
  EXPECT_EQ(created.outcome(), "OK");
}

// An ERP's key reads its own channel's events from the order feed and nothing else: not
// another channel's orders and customers, not events that belong to no channel (inventory's).
TEST(SecurityTest, AChannelKeyReadsOnlyItsOwnChannelsEvents) {
  testing::TempDir dir;
  Suite suite(dir.path(), {});
  ASSERT_TRUE(suite.Start(dir.path()).ok());
  orchestrator::v1::PlaceOrderResponse erp_order, web_order;
  ASSERT_TRUE(Place(*suite.orchestrator_, "erp", ErpOrder("ERP-FEED-1"), &erp_order).ok());
  ASSERT_TRUE(
      Place(*suite.orchestrator_, "ops", ErpOrder("WEB-FEED-1", order::v1::WEB), &web_order).ok());

  auto feed = [&](const ServiceProcess& service, const std::string& principal) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    events::v1::ListEventsRequest request;
    request.set_limit(1000);
    events::v1::ListEventsResponse response;
    grpc::Status status = events::v1::EventFeed::NewStub(service.NewChannel(principal))
                              ->ListEvents(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  };
  events::v1::ListEventsResponse as_erp = feed(suite.order_, "erp");
  std::set<std::string> orders;
  for (const events::v1::Event& event : as_erp.events()) {
    EXPECT_EQ(event.channel(), "ERP") << event.type();
    orders.insert(event.aggregate_id());
  }
  EXPECT_EQ(orders, std::set<std::string>{erp_order.order_id()});
  // The live stream filters as the list does: the same events, in order, nothing between.
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    auto watch = events::v1::EventFeed::NewStub(suite.order_.NewChannel("erp"))
                     ->WatchEvents(&context, events::v1::WatchEventsRequest());
    for (const events::v1::Event& listed : as_erp.events()) {
      events::v1::Event watched;
      ASSERT_TRUE(watch->Read(&watched));
      EXPECT_EQ(watched.seq(), listed.seq());
      EXPECT_EQ(watched.channel(), "ERP");
    }
    context.TryCancel();
  }
  std::set<std::string> all;
  events::v1::ListEventsResponse as_reader = feed(suite.order_, "reader");
  for (const events::v1::Event& event : as_reader.events()) all.insert(event.aggregate_id());
  EXPECT_TRUE(all.count(web_order.order_id()) && all.count(erp_order.order_id()));
  EXPECT_EQ(feed(suite.inventory_, "erp").events_size(), 0);
  EXPECT_GT(feed(suite.inventory_, "reader").events_size(), 0);
}

// The code a ListOrders call with `security` gets from the order_svc at `address`.
grpc::StatusCode ListOrdersCode(const std::string& address, const ClientSecurity& security) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  order::v1::ListOrdersResponse response;
  return order::v1::OrderService::NewStub(OpenChannel(address, security))
      ->ListOrders(&context, order::v1::ListOrdersRequest(), &response)
      .error_code();
}

// A key added to the key file is accepted, and a key revoked refused, by a service that keeps
// running: it reads the file again every --key_reload_interval.
TEST(KeyReloadTest, AKeyAddedOrRevokedWhileServingTakesEffectWithoutARestart) {
  testing::TempDir dir;
  ServiceProcess orders("order_svc", dir.path(), {"--key_reload_interval=100ms"});
  ASSERT_TRUE(Started(orders.Start()));
  const std::string path = TestKeyDir() + "/keys.textproto";
  absl::StatusOr<security::v1::KeyFile> file = auth::ReadKeyFile(path);
  ASSERT_TRUE(file.ok()) << file.status();
  auth::IssuedKey temp = auth::IssueKey("temp-ops", {security::v1::OPS});
  *file->add_keys() = temp.stored;
  ASSERT_TRUE(auth::WriteKeyFile(path, *file).ok());

  ClientSecurity security;
  security.bearer_token = temp.token;
  auto list = [&] { return ListOrdersCode(orders.address(), security); };
  EXPECT_TRUE(WaitFor([&] { return list() == grpc::StatusCode::OK; }, absl::Seconds(10)));

  file->mutable_keys(file->keys_size() - 1)->set_disabled(true);  // what `keys revoke` does
  ASSERT_TRUE(auth::WriteKeyFile(path, *file).ok());
  EXPECT_TRUE(
      WaitFor([&] { return list() == grpc::StatusCode::UNAUTHENTICATED; }, absl::Seconds(10)));
  EXPECT_TRUE(orders.running());
  file->mutable_keys()->RemoveLast();
  ASSERT_TRUE(auth::WriteKeyFile(path, *file).ok());
}

// A renewed server certificate is served without a restart: the server reads its TLS files
// again every --tls_reload_interval. A client that trusts only the new CA gets in once the
// files are replaced.
TEST(TlsReloadTest, ARenewedServerCertificateIsServedWithoutARestart) {
  testing::TempDir dir, renewal;
  absl::StatusOr<TestPki> pki = MakeTestPki(dir.path());
  absl::StatusOr<TestPki> renewed = MakeTestPki(renewal.path());
  ASSERT_TRUE(pki.ok() && renewed.ok());
  std::vector<std::string> flags = pki->MutualTlsFlags();
  flags.push_back("--tls_reload_interval=1s");
  ServiceProcess orders("order_svc", dir.path(), flags);
  orders.set_client_tls(pki->TrustedClient());
  ASSERT_TRUE(Started(orders.Start()));

  ClientSecurity security;
  security.bearer_token = TestToken("ops");
  security.tls.ca = ReadTextFile(renewed->ca_cert);  // trusts only the renewed certificate
  security.tls.cert = ReadTextFile(pki->client_cert);
  security.tls.key = ReadTextFile(pki->client_key);
  security.tls_server_name = "localhost";
  auto list = [&] { return ListOrdersCode(orders.address(), security); };
  EXPECT_EQ(list(), grpc::StatusCode::UNAVAILABLE);
  // Renewal: the new certificate and key written beside the old ones, then renamed over.
  for (const auto& [from, to] : {std::pair{renewed->server_cert, pki->server_cert},
                                 std::pair{renewed->server_key, pki->server_key}}) {
    ASSERT_TRUE(WriteFileAtomically(to, ReadTextFile(from)).ok());
  }
  EXPECT_TRUE(WaitFor([&] { return list() == grpc::StatusCode::OK; }, absl::Seconds(20)));
  EXPECT_TRUE(orders.running());
}

TEST(MutualTlsTest, EveryHopUsesTlsAndClientsWithoutAValidCertificateAreRefused) {
  testing::TempDir dir;
  absl::StatusOr<TestPki> pki = MakeTestPki(dir.path());
  ASSERT_TRUE(pki.ok()) << pki.status();
  Suite suite(dir.path(), pki->MutualTlsFlags(), pki->TrustedClient());
  absl::Status started = suite.Start(dir.path());
  ASSERT_TRUE(started.ok()) << started;

  // Client to orchestrator, orchestrator to order and inventory: all over mutual TLS.
  orchestrator::v1::PlaceOrderResponse placed;
  grpc::Status status = Place(*suite.orchestrator_, "erp", ErpOrder("ERP-TLS-1"), &placed);
  ASSERT_TRUE(status.ok()) << status.error_message();

  auto get_order = [&](const TlsPem& tls) {
    ClientSecurity security;
    security.bearer_token = TestToken("ops");
    security.tls = tls;
    security.tls_server_name = "localhost";
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    order::v1::GetOrderRequest request;
    request.set_order_id(placed.order_id());
    order::v1::Order order;
    return order::v1::OrderService::NewStub(OpenChannel(suite.order_.address(), security))
        ->GetOrder(&context, request, &order);
  };
  EXPECT_TRUE(get_order(pki->TrustedClient()).ok());
  EXPECT_EQ(get_order(pki->ClientWithoutCertificate()).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(get_order(pki->RogueClient()).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(get_order(TlsPem()).error_code(), grpc::StatusCode::UNAVAILABLE);  // plaintext

  // The Kubernetes manifests' exec probe: health_check over mutual TLS answers SERVING, and
  // without a client certificate it cannot get in.
  const std::string probe =
      absl::StrCat(RunfilesBinary("tools/health_check", "health_check"),
                   " --target=", suite.order_.address(), " --tls_ca=", pki->ca_cert,
                   " --tls_server_name=localhost --service=oms.order.v1.OrderService");
  EXPECT_EQ(std::system(absl::StrCat(probe, " --tls_cert=", pki->client_cert,
                                     " --tls_key=", pki->client_key, " >/dev/null")
                            .c_str()),
            0);
  EXPECT_NE(std::system(absl::StrCat(probe, " >/dev/null").c_str()), 0);
}

}  // namespace
}  // namespace oms::integration
