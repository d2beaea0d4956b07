// OrderService behind the key check, as the binary serves it: roles, channel-bound keys,
// and the audit entry written with each change.
#include "gtest/gtest.h"
#include "oms/security/v1/security.grpc.pb.h"
#include "order_svc/order_access.h"
#include "order_svc/order_service.h"
#include "order_svc/order_store.h"
#include "order_svc/test_orders.h"
#include "platform/testing/in_memory_host.h"
#include "platform/testing/secured_server.h"

namespace oms::order {
namespace {

class OrderSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = testing::InMemoryHost("order_svc", &clock_, {{"order", &store::Migrations()}});
    service_ = std::make_unique<OrderService>(host_.get());
    server_ = std::make_unique<testing::SecuredServer>(host_.get());
    server_->AddService(service_.get(), v1::OrderService::service_full_name(), &OrderAccess());
    ASSERT_TRUE(server_->Start().ok());
  }

  std::unique_ptr<v1::OrderService::Stub> As(const std::string& principal) {
    return v1::OrderService::NewStub(server_->Channel(principal));
  }

  grpc::Status Create(const std::string& principal, v1::Channel channel,
                      const std::string& reference, v1::Order* order) {
    v1::CreateOrderRequest request = SampleCreateOrder(reference);
    request.set_channel(channel);
    grpc::ClientContext context;
    return As(principal)->CreateOrder(&context, request, order);
  }

  security::v1::ListAuditLogResponse Audit(const security::v1::ListAuditLogRequest& request) {
    grpc::ClientContext context;
    security::v1::ListAuditLogResponse response;
    EXPECT_TRUE(security::v1::AuditLog::NewStub(server_->Channel("ops"))
                    ->ListAuditLog(&context, request, &response)
                    .ok());
    return response;
  }

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<OrderService> service_;
  std::unique_ptr<testing::SecuredServer> server_;
};

TEST_F(OrderSecurityTest, RolesDecideWhoMayDoWhat) {
  v1::Order order;
  EXPECT_EQ(Create("nobody", v1::WEB, "W-1", &order).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status reader = Create("reader", v1::WEB, "W-1", &order);
  EXPECT_EQ(reader.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(reader.error_message().find("ORDER_WRITER"), std::string::npos);
  ASSERT_TRUE(Create("ops", v1::WEB, "W-1", &order).ok());

  grpc::ClientContext get;
  v1::GetOrderRequest request;
  request.set_order_id(order.order_id());
  v1::Order read;
  EXPECT_TRUE(As("reader")->GetOrder(&get, request, &read).ok());

  grpc::ClientContext transition;
  v1::TransitionOrderRequest move;
  move.set_order_id(order.order_id());
  move.set_to_status(v1::APPROVED);
  EXPECT_EQ(As("erp")->TransitionOrder(&transition, move, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(OrderSecurityTest, AChannelBoundKeyWorksOnlyWithItsChannelsOrders) {
  v1::Order erp_order, web_order, refused;
  ASSERT_TRUE(Create("erp", v1::ERP, "E-1", &erp_order).ok());
  ASSERT_TRUE(Create("web", v1::WEB, "W-1", &web_order).ok());
  grpc::Status cross = Create("erp", v1::WEB, "W-2", &refused);
  EXPECT_EQ(cross.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(cross.error_message().find("bound to channel ERP"), std::string::npos);

  // Another channel's order does not exist for it, for reads and writes alike.
  grpc::ClientContext get;
  v1::GetOrderRequest request;
  request.set_order_id(web_order.order_id());
  v1::Order read;
  EXPECT_EQ(As("erp")->GetOrder(&get, request, &read).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext cancel;
  v1::CancelOrderRequest cancel_request;
  cancel_request.set_order_id(web_order.order_id());
  cancel_request.set_reason("not mine");
  EXPECT_EQ(As("erp")->CancelOrder(&cancel, cancel_request, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext own;
  request.set_order_id(erp_order.order_id());
  EXPECT_TRUE(As("erp")->GetOrder(&own, request, &read).ok());

  // Listing shows its channel only, and refuses to be asked for another.
  grpc::ClientContext list;
  v1::ListOrdersResponse listed;
  ASSERT_TRUE(As("erp")->ListOrders(&list, v1::ListOrdersRequest(), &listed).ok());
  ASSERT_EQ(listed.orders_size(), 1);
  EXPECT_EQ(listed.orders(0).order_id(), erp_order.order_id());
  grpc::ClientContext list_web;
  v1::ListOrdersRequest web_only;
  web_only.add_channels(v1::WEB);
  EXPECT_EQ(As("erp")->ListOrders(&list_web, web_only, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext list_all;
  ASSERT_TRUE(As("ops")->ListOrders(&list_all, v1::ListOrdersRequest(), &listed).ok());
  EXPECT_EQ(listed.orders_size(), 2);
}

TEST_F(OrderSecurityTest, EveryChangeIsAuditedWithWhoWhatAndOutcome) {
  v1::Order order;
  ASSERT_TRUE(Create("erp", v1::ERP, "E-1", &order).ok());
  grpc::ClientContext cancel;
  cancel.AddMetadata("x-request-id", "req-from-erp-42");
  v1::CancelOrderRequest request;
  request.set_order_id(order.order_id());
  request.set_reason("customer changed their mind");
  v1::Order cancelled;
  ASSERT_TRUE(As("support")->CancelOrder(&cancel, request, &cancelled).ok());
  grpc::ClientContext again;
  EXPECT_FALSE(As("support")->CancelOrder(&again, request, &cancelled).ok());  // already

  security::v1::ListAuditLogRequest by_order;
  by_order.set_target_id(order.order_id());
  security::v1::ListAuditLogResponse log = Audit(by_order);
  ASSERT_EQ(log.entries_size(), 3);
  EXPECT_EQ(log.entries(2).principal(), "erp");
  EXPECT_EQ(log.entries(2).method(), "/oms.order.v1.OrderService/CreateOrder");
  EXPECT_EQ(log.entries(2).outcome(), "OK");
  EXPECT_EQ(log.entries(1).principal(), "support");
  EXPECT_EQ(log.entries(1).request_id(), "req-from-erp-42");
  EXPECT_EQ(log.entries(1).outcome(), "OK");
  EXPECT_EQ(log.entries(0).outcome(), "FAILED_PRECONDITION");

  // Reads leave no entry; filters narrow the log.
  security::v1::ListAuditLogRequest by_principal;
  by_principal.set_principal("support");
  EXPECT_EQ(Audit(by_principal).entries_size(), 2);
  security::v1::ListAuditLogRequest failures;
  failures.set_outcome("OK");
  EXPECT_EQ(Audit(failures).entries_size(), 2);
}

TEST_F(OrderSecurityTest, AFailedTransactionLeavesNoSuccessEntry) {
  v1::Order order;
  ASSERT_TRUE(Create("ops", v1::WEB, "W-1", &order).ok());
  // Same reference, other contents: refused inside the transaction, which rolls back.
  v1::CreateOrderRequest conflicting = SampleCreateOrder("W-1");
  conflicting.set_idempotency_key("another-key");
  conflicting.set_notes("different");
  grpc::ClientContext context;
  v1::Order refused;
  ASSERT_EQ(As("ops")->CreateOrder(&context, conflicting, &refused).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  security::v1::ListAuditLogRequest all;
  security::v1::ListAuditLogResponse log = Audit(all);
  ASSERT_EQ(log.entries_size(), 2);
  EXPECT_EQ(log.entries(0).outcome(), "ALREADY_EXISTS");
  EXPECT_EQ(log.entries(1).outcome(), "OK");
}

}  // namespace
}  // namespace oms::order
