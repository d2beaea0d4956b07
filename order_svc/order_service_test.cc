// OrderService through a real in-process gRPC server and the generated stub.
#include "order_svc/order_service.h"

#include <set>

#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "order_svc/order_store.h"
#include "order_svc/test_orders.h"
#include "platform/testing/in_process_server.h"

namespace oms::order {
namespace {

using google::protobuf::util::TimeUtil;

class OrderServiceTest : public oms::testing::ServiceTest<v1::OrderService> {
 protected:
  void SetUp() override {
    UseHost("order_svc", {{"order", &store::Migrations()}});
    service_ = std::make_unique<OrderService>(host_.get());
    Serve(service_.get());
  }

  grpc::Status Create(const v1::CreateOrderRequest& request, v1::Order* order) {
    grpc::ClientContext context;
    return stub_->CreateOrder(&context, request, order);
  }

  v1::Order MustCreate(const std::string& reference) {
    v1::Order order;
    grpc::Status status = Create(SampleCreateOrder(reference), &order);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return order;
  }

  grpc::Status Transition(const std::string& order_id, v1::OrderStatus to, v1::Order* order,
                          const std::string& reason = "") {
    grpc::ClientContext context;
    v1::TransitionOrderRequest request;
    request.set_order_id(order_id);
    request.set_to_status(to);
    request.set_actor("ops:li");
    request.set_reason(reason);
    return stub_->TransitionOrder(&context, request, order);
  }

  v1::ListOrdersResponse List(const v1::ListOrdersRequest& request, grpc::Status* status) {
    grpc::ClientContext context;
    v1::ListOrdersResponse response;
    *status = stub_->ListOrders(&context, request, &response);
    return response;
  }

  std::vector<std::string> EventTypes() {
    std::vector<std::string> types;
    absl::StatusOr<std::vector<events::v1::Event>> events = host_->outbox().List(0, 1000, {});
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events) types.push_back(e.type());
    return types;
  }

  std::unique_ptr<OrderService> service_;
};

TEST_F(OrderServiceTest, CreateOrderPricesStoresRecordsHistoryAndEvent) {
  v1::Order order = MustCreate("WEB-1");
  EXPECT_TRUE(HasIdShape(order.order_id(), "ord"));
  EXPECT_EQ(order.status(), v1::RECEIVED);
  EXPECT_EQ(order.total().minor_units(), 30150 - 1000 + 3790 + 800);
  EXPECT_EQ(order.customer().phone(), "+8613800138000");
  EXPECT_EQ(order.payment().status(), v1::Payment::UNPAID);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(order.created_at()),
            absl::ToUnixMicros(clock_.Now()));

  grpc::ClientContext context;
  v1::GetOrderRequest get;
  get.set_order_id(order.order_id());
  v1::Order fetched;
  ASSERT_TRUE(stub_->GetOrder(&context, get, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), order.SerializeAsString());

  grpc::ClientContext history_context;
  v1::GetOrderHistoryRequest history_request;
  history_request.set_order_id(order.order_id());
  v1::GetOrderHistoryResponse history;
  ASSERT_TRUE(stub_->GetOrderHistory(&history_context, history_request, &history).ok());
  ASSERT_EQ(history.changes_size(), 1);
  EXPECT_EQ(history.changes(0).to_status(), v1::RECEIVED);
  EXPECT_EQ(history.changes(0).actor(), "web-checkout");
  EXPECT_EQ(EventTypes(), std::vector<std::string>{"OrderCreated"});
}

TEST_F(OrderServiceTest, FiveBadFieldsAreAllNamedAndNothingIsStored) {
  v1::CreateOrderRequest request = SampleCreateOrder();
  request.mutable_customer()->set_name("");
  request.mutable_customer()->set_phone("12");
  request.mutable_customer()->set_email("nobody");
  request.mutable_customer()->mutable_shipping_address()->set_postal_code("1");
  request.mutable_lines(0)->set_quantity(-3);
  v1::Order order;
  grpc::Status status = Create(request, &order);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"customer.name", "customer.phone", "customer.email",
                            "customer.shipping_address.postal_code", "lines[0].quantity"}) {
    EXPECT_NE(status.error_message().find(field), std::string::npos) << field;
  }
  grpc::Status list_status;
  EXPECT_EQ(List(v1::ListOrdersRequest(), &list_status).orders_size(), 0);
  EXPECT_TRUE(EventTypes().empty());
}

TEST_F(OrderServiceTest, SameExternalReferenceReturnsTheFirstOrder) {
  v1::Order first = MustCreate("WEB-7");
  v1::CreateOrderRequest again = SampleCreateOrder("WEB-7");
  again.set_idempotency_key("another-key");
  v1::Order second;
  ASSERT_TRUE(Create(again, &second).ok());
  EXPECT_EQ(second.order_id(), first.order_id());

  again.set_idempotency_key("third-key");
  again.mutable_lines(0)->set_quantity(5);  // a different order under the same reference
  grpc::Status status = Create(again, &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_NE(status.error_message().find(first.order_id()), std::string::npos);
  EXPECT_EQ(EventTypes().size(), 1u);
}

TEST_F(OrderServiceTest, RetriedKeyHasNoSecondEffectAndReusedKeyIsRefused) {
  v1::CreateOrderRequest request = SampleCreateOrder("");  // no external reference
  v1::Order first, second;
  ASSERT_TRUE(Create(request, &first).ok());
  ASSERT_TRUE(Create(request, &second).ok());
  EXPECT_EQ(first.order_id(), second.order_id());
  request.mutable_customer()->set_name("Someone Else");
  grpc::Status status = Create(request, &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  grpc::Status list_status;
  EXPECT_EQ(List(v1::ListOrdersRequest(), &list_status).orders_size(), 1);
}

TEST_F(OrderServiceTest, UnknownOrderIsNotFound) {
  grpc::ClientContext context;
  v1::GetOrderRequest request;
  request.set_order_id("ord_nope");
  v1::Order order;
  EXPECT_EQ(stub_->GetOrder(&context, request, &order).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext empty_context;
  request.clear_order_id();
  EXPECT_EQ(stub_->GetOrder(&empty_context, request, &order).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrderServiceTest, ListOrdersFiltersAndPagesNewestFirstWithoutGapsOrRepeats) {
  std::vector<std::string> created;
  for (int i = 0; i < 12; ++i) {
    v1::CreateOrderRequest request = SampleCreateOrder("WEB-" + std::to_string(i));
    if (i % 3 == 0) request.set_channel(v1::MARKETPLACE);
    if (i == 5) request.mutable_customer()->set_email("Vip@Example.cn");
    if (i % 4 == 1) request.mutable_customer()->set_customer_id("crm-0042");
    v1::Order order;
    ASSERT_TRUE(Create(request, &order).ok());
    created.push_back(order.order_id());
    if (i % 2 == 0) clock_.Advance(absl::Minutes(1));  // some share a timestamp
  }
  v1::ListOrdersRequest request;
  request.set_page_size(5);
  std::vector<std::string> seen;
  grpc::Status status;
  do {
    v1::ListOrdersResponse page = List(request, &status);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& o : page.orders()) seen.push_back(o.order_id());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  std::vector<std::string> expected(created.rbegin(), created.rend());
  EXPECT_EQ(seen, expected);

  v1::ListOrdersRequest marketplace;
  marketplace.add_channels(v1::MARKETPLACE);
  EXPECT_EQ(List(marketplace, &status).orders_size(), 4);
  v1::ListOrdersRequest by_email;
  by_email.set_customer_email("vip@example.cn");
  EXPECT_EQ(List(by_email, &status).orders_size(), 1);
  v1::ListOrdersRequest by_crm;  // the channel's or ERP's customer id
  by_crm.set_customer_id("crm-0042");
  EXPECT_EQ(List(by_crm, &status).orders_size(), 3);  // orders 1, 5 and 9
  v1::ListOrdersRequest by_phone;
  by_phone.set_customer_phone("+86 13800138000");
  EXPECT_EQ(List(by_phone, &status).orders_size(), 12);
  v1::ListOrdersRequest by_time;
  *by_time.mutable_created_from() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now() - absl::Minutes(2)));
  // Orders 7..11 were created in the last two minutes of fake time.
  EXPECT_EQ(List(by_time, &status).orders_size(), 5);
}

TEST_F(OrderServiceTest, ListOrdersRejectsForeignOrMalformedTokens) {
  for (int i = 0; i < 3; ++i) MustCreate("WEB-" + std::to_string(i));
  v1::ListOrdersRequest request;
  request.set_page_size(1);
  grpc::Status status;
  std::string token = List(request, &status).next_page_token();
  ASSERT_FALSE(token.empty());
  request.add_statuses(v1::RECEIVED);  // different filters with the old token
  request.set_page_token(token);
  List(request, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_page_token("garbage!");
  List(request, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_page_token("");
  request.set_page_size(100000);
  List(request, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrderServiceTest, UpdateRecordsEachChangedFieldAndReprices) {
  v1::Order order = MustCreate("WEB-1");
  clock_.Advance(absl::Minutes(3));
  v1::UpdateOrderRequest update;
  update.set_order_id(order.order_id());
  update.set_actor("cs:wang");
  update.set_reason("customer called");
  update.set_customer_phone("+86 139 0000 0000");
  update.set_notes("leave at the door");
  v1::OrderLine* line = update.mutable_lines()->add_lines();
  line->set_sku("TEA-LONGJING-250G");
  line->set_quantity(1);
  line->mutable_unit_price()->set_currency_code("CNY");
  line->mutable_unit_price()->set_minor_units(12800);
  update.set_expected_version(order.version());
  grpc::ClientContext context;
  v1::Order updated;
  ASSERT_TRUE(stub_->UpdateOrder(&context, update, &updated).ok());
  EXPECT_EQ(updated.version(), order.version() + 1);
  EXPECT_EQ(updated.customer().phone(), "+8613900000000");
  EXPECT_EQ(updated.subtotal().minor_units(), 12800);

  grpc::ClientContext history_context;
  v1::GetModificationHistoryRequest history_request;
  history_request.set_order_id(order.order_id());
  v1::GetModificationHistoryResponse history;
  ASSERT_TRUE(stub_->GetModificationHistory(&history_context, history_request, &history).ok());
  ASSERT_EQ(history.modifications_size(), 1);
  const v1::Modification& m = history.modifications(0);
  EXPECT_EQ(m.actor(), "cs:wang");
  std::set<std::string> fields;
  for (const auto& c : m.changes()) fields.insert(c.field());
  EXPECT_EQ(fields, (std::set<std::string>{"customer.phone", "notes", "lines", "total"}));
  EXPECT_EQ(m.changes(0).old_value(), "+8613800138000");
  EXPECT_EQ(EventTypes().back(), "OrderUpdated");

  grpc::ClientContext stale_context;  // the old version is now stale
  EXPECT_EQ(stub_->UpdateOrder(&stale_context, update, &updated).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(OrderServiceTest, UpdateAfterAllocationIsRefused) {
  v1::Order order = MustCreate("WEB-1");
  ASSERT_TRUE(Transition(order.order_id(), v1::APPROVED, &order).ok());
  ASSERT_TRUE(Transition(order.order_id(), v1::ALLOCATED, &order).ok());
  v1::UpdateOrderRequest update;
  update.set_order_id(order.order_id());
  update.set_notes("too late");
  grpc::ClientContext context;
  grpc::Status status = stub_->UpdateOrder(&context, update, &order);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("ALLOCATED"), std::string::npos);
}

TEST_F(OrderServiceTest, TransitionsFollowTheStateMachineAndAreRecorded) {
  v1::Order order = MustCreate("WEB-1");
  grpc::Status illegal = Transition(order.order_id(), v1::DELIVERED, &order);
  EXPECT_EQ(illegal.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(illegal.error_message().find("RECEIVED to DELIVERED"), std::string::npos);
  ASSERT_TRUE(Transition(order.order_id(), v1::PENDING_REVIEW, &order, "amount").ok());
  ASSERT_TRUE(Transition(order.order_id(), v1::ON_HOLD, &order, "address check").ok());
  EXPECT_EQ(order.held_from(), v1::PENDING_REVIEW);
  ASSERT_TRUE(Transition(order.order_id(), v1::APPROVED, &order).ok());

  grpc::ClientContext context;
  v1::GetOrderHistoryRequest request;
  request.set_order_id(order.order_id());
  v1::GetOrderHistoryResponse history;
  ASSERT_TRUE(stub_->GetOrderHistory(&context, request, &history).ok());
  ASSERT_EQ(history.changes_size(), 4);
  EXPECT_EQ(history.changes(2).from_status(), v1::PENDING_REVIEW);
  EXPECT_EQ(history.changes(2).to_status(), v1::ON_HOLD);
  EXPECT_EQ(history.changes(2).reason(), "address check");
  EXPECT_EQ(history.changes(2).actor(), "ops:li");
}

TEST_F(OrderServiceTest, APathOfStatusesIsOneCallWithAHistoryEntryEachAndRepeatsSafely) {
  v1::Order order = MustCreate("WEB-1");
  v1::TransitionOrderRequest path;
  path.set_order_id(order.order_id());
  path.set_to_status(v1::APPROVED);
  path.set_actor("orchestrator");
  path.set_reason("review passed");
  v1::StatusStep* allocated = path.add_further_steps();
  allocated->set_to_status(v1::ALLOCATED);
  allocated->set_reason("stock reserved");
  path.add_further_steps()->set_to_status(v1::SHIPPED);

  v1::TransitionOrderRequest bad = path;
  bad.mutable_further_steps(1)->set_to_status(v1::ORDER_STATUS_UNSPECIFIED);
  bad.mutable_further_steps(0)->set_actor(std::string(1000, 'a'));
  grpc::ClientContext bad_context;
  grpc::Status refused = stub_->TransitionOrder(&bad_context, bad, &order);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("further_steps[1].to_status"), std::string::npos);
  EXPECT_NE(refused.error_message().find("further_steps[0].actor"), std::string::npos);

  v1::TransitionOrderRequest illegal = path;
  illegal.mutable_further_steps(1)->set_to_status(v1::DELIVERED);  // ALLOCATED -> DELIVERED
  grpc::ClientContext illegal_context;
  EXPECT_EQ(stub_->TransitionOrder(&illegal_context, illegal, &order).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  grpc::ClientContext get_context;
  v1::GetOrderRequest get;
  get.set_order_id(order.order_id());
  v1::Order unchanged;
  ASSERT_TRUE(stub_->GetOrder(&get_context, get, &unchanged).ok());
  EXPECT_EQ(unchanged.status(), v1::RECEIVED);  // nothing of a refused path is kept

  grpc::ClientContext context;
  ASSERT_TRUE(stub_->TransitionOrder(&context, path, &order).ok());
  EXPECT_EQ(order.status(), v1::SHIPPED);
  // Repeated under another key (a retry that lost its answer): already there, no new entry.
  grpc::ClientContext again_context;
  path.set_idempotency_key("another-key");
  ASSERT_TRUE(stub_->TransitionOrder(&again_context, path, &order).ok());
  EXPECT_EQ(order.status(), v1::SHIPPED);

  grpc::ClientContext history_context;
  v1::GetOrderHistoryRequest request;
  request.set_order_id(order.order_id());
  v1::GetOrderHistoryResponse history;
  ASSERT_TRUE(stub_->GetOrderHistory(&history_context, request, &history).ok());
  ASSERT_EQ(history.changes_size(), 4);  // created, then the three steps once each
  EXPECT_EQ(history.changes(1).to_status(), v1::APPROVED);
  EXPECT_EQ(history.changes(1).reason(), "review passed");
  EXPECT_EQ(history.changes(2).to_status(), v1::ALLOCATED);
  EXPECT_EQ(history.changes(2).reason(), "stock reserved");
  EXPECT_EQ(history.changes(3).from_status(), v1::ALLOCATED);
  EXPECT_EQ(history.changes(3).to_status(), v1::SHIPPED);
}

TEST_F(OrderServiceTest, CancelNeedsReasonEmitsEventsAndStopsAtShipment) {
  v1::Order order = MustCreate("WEB-1");
  v1::CancelOrderRequest cancel;
  cancel.set_order_id(order.order_id());
  grpc::ClientContext no_reason;
  EXPECT_EQ(stub_->CancelOrder(&no_reason, cancel, &order).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  cancel.set_reason("customer changed mind");
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->CancelOrder(&context, cancel, &order).ok());
  EXPECT_EQ(order.status(), v1::CANCELLED);
  EXPECT_EQ(order.cancel_reason(), "customer changed mind");
  std::vector<std::string> types = EventTypes();
  EXPECT_EQ(std::vector<std::string>(types.end() - 2, types.end()),
            (std::vector<std::string>{"OrderStatusChanged", "OrderCancelled"}));

  v1::Order shipped = MustCreate("WEB-2");
  for (v1::OrderStatus s : {v1::APPROVED, v1::ALLOCATED, v1::SHIPPED}) {
    ASSERT_TRUE(Transition(shipped.order_id(), s, &shipped).ok());
  }
  cancel.set_order_id(shipped.order_id());
  grpc::ClientContext late;
  EXPECT_EQ(stub_->CancelOrder(&late, cancel, &shipped).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(OrderServiceTest, PaymentMustMatchTotalAndFollowItsStates) {
  v1::Order order = MustCreate("WEB-1");
  v1::RecordPaymentRequest pay;
  pay.set_order_id(order.order_id());
  pay.set_status(v1::Payment::PAID);
  pay.set_reference("alipay-123");
  *pay.mutable_amount() = order.total();
  pay.mutable_amount()->set_minor_units(order.total().minor_units() - 1);
  grpc::ClientContext short_context;
  EXPECT_EQ(stub_->RecordPayment(&short_context, pay, &order).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  *pay.mutable_amount() = order.total();
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->RecordPayment(&context, pay, &order).ok());
  EXPECT_EQ(order.payment().status(), v1::Payment::PAID);
  EXPECT_EQ(order.payment().reference(), "alipay-123");
  grpc::ClientContext twice;
  EXPECT_EQ(stub_->RecordPayment(&twice, pay, &order).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  pay.set_status(v1::Payment::REFUNDED);
  grpc::ClientContext refund;
  ASSERT_TRUE(stub_->RecordPayment(&refund, pay, &order).ok());
  EXPECT_EQ(order.payment().status(), v1::Payment::REFUNDED);
  std::vector<std::string> types = EventTypes();
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[types.size() - 2], "PaymentRecorded");
  EXPECT_EQ(types.back(), "PaymentRefunded");  // what the customer is told
}

TEST_F(OrderServiceTest, ServiceInfoReportsStoreAndFeedPosition) {
  MustCreate("WEB-1");
  grpc::ClientContext context;
  common::v1::ServiceInfo info;
  ASSERT_TRUE(stub_->GetServiceInfo(&context, common::v1::GetServiceInfoRequest(), &info).ok());
  EXPECT_EQ(info.service(), "order_svc");
  EXPECT_EQ(info.last_event_seq(), 1);
  EXPECT_EQ(info.schema_versions().at("order"), 2);
  EXPECT_EQ(info.schema_versions().at("outbox"), 5);
}

}  // namespace
}  // namespace oms::order
