// order_svc as a real process: what was acknowledged survives SIGKILL, retries after a crash
// have no second effect, SIGTERM drains and exits cleanly.
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using order::v1::OrderService;

class OrderDurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Started(order_svc_.Start())); }

  std::unique_ptr<OrderService::Stub> Stub() {
    return OrderService::NewStub(order_svc_.NewChannel());
  }

  grpc::Status Create(const order::v1::CreateOrderRequest& request, order::v1::Order* order,
                      absl::Duration deadline = absl::Seconds(10)) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    return Stub()->CreateOrder(&context, request, order);
  }

  order::v1::ListOrdersResponse ListAll() {
    grpc::ClientContext context;
    order::v1::ListOrdersResponse response;
    EXPECT_TRUE(Stub()->ListOrders(&context, order::v1::ListOrdersRequest(), &response).ok());
    return response;
  }

  order::v1::GetOrderHistoryResponse History(const std::string& order_id) {
    grpc::ClientContext context;
    order::v1::GetOrderHistoryRequest request;
    request.set_order_id(order_id);
    order::v1::GetOrderHistoryResponse response;
    EXPECT_TRUE(Stub()->GetOrderHistory(&context, request, &response).ok());
    return response;
  }

  testing::TempDir dir_;
  ServiceProcess order_svc_{"order_svc", dir_.path()};
};

TEST_F(OrderDurabilityTest, AcknowledgedOrderAndHistorySurviveSigkill) {
  order::v1::Order created;
  ASSERT_TRUE(Create(order::SampleCreateOrder("WEB-1"), &created).ok());
  for (auto to : {order::v1::PENDING_REVIEW, order::v1::APPROVED}) {
    grpc::ClientContext context;
    order::v1::TransitionOrderRequest request;
    request.set_order_id(created.order_id());
    request.set_to_status(to);
    request.set_actor("reviewer:chen");
    ASSERT_TRUE(Stub()->TransitionOrder(&context, request, &created).ok());
  }
  order::v1::GetOrderHistoryResponse before = History(created.order_id());

  order_svc_.Kill();
  ASSERT_TRUE(Started(order_svc_.Start()));

  grpc::ClientContext context;
  order::v1::GetOrderRequest get;
  get.set_order_id(created.order_id());
  order::v1::Order after;
  ASSERT_TRUE(Stub()->GetOrder(&context, get, &after).ok());
  EXPECT_EQ(after.SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(after.status(), order::v1::APPROVED);
  order::v1::GetOrderHistoryResponse history = History(created.order_id());
  EXPECT_EQ(history.SerializeAsString(), before.SerializeAsString());
  EXPECT_EQ(history.changes_size(), 3);
}

TEST_F(OrderDurabilityTest, RetryWithSameKeyAfterKillGivesExactlyOneOrder) {
  order::v1::CreateOrderRequest request = order::SampleCreateOrder("");  // key only
  request.set_idempotency_key("erp-batch-17-line-3");
  order::v1::Order first;
  ASSERT_TRUE(Create(request, &first).ok());
  order_svc_.Kill();
  ASSERT_TRUE(Started(order_svc_.Start()));
  order::v1::Order retried;
  ASSERT_TRUE(Create(request, &retried).ok());
  EXPECT_EQ(retried.order_id(), first.order_id());
  EXPECT_EQ(ListAll().orders_size(), 1);
}

TEST_F(OrderDurabilityTest, RetryAfterUnknownOutcomeGivesExactlyOneOrder) {
  // The client gives up before hearing back (the answer may or may not have committed),
  // the server is then killed, and the client retries with the same key.
  order::v1::CreateOrderRequest request = order::SampleCreateOrder("");
  request.set_idempotency_key("phone-desk-0042");
  order::v1::Order ignored;
  Create(request, &ignored, absl::Microseconds(300));
  order_svc_.Kill();
  ASSERT_TRUE(Started(order_svc_.Start()));
  order::v1::Order retried;
  ASSERT_TRUE(Create(request, &retried).ok());
  order::v1::Order again;
  ASSERT_TRUE(Create(request, &again).ok());
  EXPECT_EQ(again.order_id(), retried.order_id());
  EXPECT_EQ(ListAll().orders_size(), 1);
}

TEST_F(OrderDurabilityTest, InvalidOrderStoresNothing) {
  order::v1::CreateOrderRequest request = order::SampleCreateOrder("WEB-BAD");
  request.mutable_customer()->set_name("");
  request.mutable_customer()->set_phone("x");
  request.mutable_customer()->set_email("y");
  request.set_currency_code("ABC");
  request.mutable_lines(0)->set_quantity(0);
  order::v1::Order order;
  grpc::Status status = Create(request, &order);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"customer.name", "customer.phone", "customer.email", "currency_code",
                            "lines[0].quantity"}) {
    EXPECT_NE(status.error_message().find(field), std::string::npos) << field;
  }
  order_svc_.Kill();
  ASSERT_TRUE(Started(order_svc_.Start()));
  EXPECT_EQ(ListAll().orders_size(), 0);
}

TEST_F(OrderDurabilityTest, SigtermDrainsExitsCleanlyAndRestartFindsEverything) {
  for (int i = 0; i < 5; ++i) {
    order::v1::Order order;
    ASSERT_TRUE(Create(order::SampleCreateOrder("WEB-" + std::to_string(i)), &order).ok());
  }
  absl::StatusOr<int> exit_code = order_svc_.Stop();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
  ASSERT_TRUE(Started(order_svc_.Start()));
  EXPECT_EQ(ListAll().orders_size(), 5);
}

}  // namespace
}  // namespace oms::integration
