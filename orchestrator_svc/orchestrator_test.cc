// The orchestrator against real in-process order, inventory and logistics services (each its
// own gRPC server and store), one fake clock, and their event feeds pumped by hand.
#include "orchestrator_svc/orchestrator.h"

#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "inventory_svc/inventory_service.h"
#include "inventory_svc/inventory_store.h"
#include "logistics_svc/logistics_service.h"
#include "logistics_svc/logistics_store.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "order_svc/order_service.h"
#include "order_svc/order_store.h"
#include "order_svc/test_orders.h"
#include "platform/event_feed_service.h"
#include "platform/feed_consumer.h"
#include "platform/grpc_server.h"
#include "platform/testing/in_memory_host.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::TimeUtil;

// One service in process: host, gRPC server with its service and event feed.
struct InProcess {
  std::unique_ptr<ServiceHost> host;
  std::unique_ptr<grpc::Service> service;
  std::unique_ptr<EventFeedService> feed;
  std::unique_ptr<GrpcServer> server;
  std::shared_ptr<grpc::Channel> channel;

  void Start(const std::string& full_name) {
    feed = std::make_unique<EventFeedService>(&host->outbox());
    server = std::make_unique<GrpcServer>(GrpcServerOptions());
    server->AddService(service.get(), full_name);
    server->AddService(feed.get(), "oms.events.v1.EventFeed");
    server->AddShutdownHook([this] { host->commits().Close(); });
    ASSERT_TRUE(server->Start().ok());
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()),
                                  grpc::InsecureChannelCredentials());
  }
};

class OrchestratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    order_.host =
        testing::InMemoryHost("order_svc", &clock_, {{"order", &order::store::Migrations()}});
    order_.service = std::make_unique<order::OrderService>(order_.host.get());
    order_.Start(order::v1::OrderService::service_full_name());
    inventory_.host = testing::InMemoryHost("inventory_svc", &clock_,
                                            {{"inventory", &inventory::store::Migrations()}});
    inventory_.service = std::make_unique<inventory::InventoryService>(inventory_.host.get());
    inventory_.Start(inventory::v1::InventoryService::service_full_name());
    logistics_.host = testing::InMemoryHost("logistics_svc", &clock_,
                                            {{"logistics", &logistics::store::Migrations()}});
    auto logistics = std::make_unique<logistics::LogisticsService>(logistics_.host.get(),
                                                                   logistics::DetectionOptions());
    ASSERT_TRUE(logistics->carriers().SeedFromFile("logistics_svc/carriers.textproto").ok());
    logistics_service_ = logistics.get();
    logistics_.service = std::move(logistics);
    logistics_.Start(logistics::v1::LogisticsService::service_full_name());

    order_stub_ = order::v1::OrderService::NewStub(order_.channel);
    inventory_stub_ = inventory::v1::InventoryService::NewStub(inventory_.channel);
    logistics_stub_ = logistics::v1::LogisticsService::NewStub(logistics_.channel);
    host_ = testing::InMemoryHost("orchestrator_svc", &clock_,
                                  {{"orchestrator", &store::Migrations()}});
    orchestrator_ = std::make_unique<Orchestrator>(
        host_.get(), Peers{order_stub_.get(), inventory_stub_.get(), logistics_stub_.get()},
        OrchestratorOptions());
    for (InProcess* source : {&order_, &inventory_, &logistics_}) {
      feeds_.push_back(events::v1::EventFeed::NewStub(source->channel));
      FeedConsumer::Options options;  // as main.cc follows the feeds
      options.types = Orchestrator::HandledEventTypes();
      consumers_.push_back(std::make_unique<FeedConsumer>(
          &host_->db(), source->host->name(), feeds_.back().get(),
          [this](Session& s, const events::v1::Event& e) {
            return orchestrator_->HandleEvent(s, e);
          },
          options));
    }
    Stock("TEA-LONGJING-250G", 20);
    Stock("CUP-CELADON", 20);
  }

  void TearDown() override {
    for (InProcess* p : {&order_, &inventory_, &logistics_}) p->server->Shutdown();
  }

  void Stock(const std::string& sku, int64_t units, int64_t weight_g = 300) {
    grpc::ClientContext product_context;
    inventory::v1::CreateProductRequest product;
    product.mutable_product()->set_sku(sku);
    product.mutable_product()->set_name(sku);
    product.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
    product.mutable_product()->set_weight_g(weight_g);
    inventory::v1::Product created;
    inventory_stub_->CreateProduct(&product_context, product, &created);
    grpc::ClientContext warehouse_context;
    inventory::v1::CreateWarehouseRequest warehouse;
    warehouse.mutable_warehouse()->set_warehouse_id("SH-01");
    warehouse.mutable_warehouse()->set_name("Shanghai");
    warehouse.mutable_warehouse()->set_region("East");
    inventory::v1::Warehouse w;
    inventory_stub_->CreateWarehouse(&warehouse_context, warehouse, &w);
    if (units > 0) Receive(sku, units);
  }

  inventory::v1::AdjustStockResponse Receive(const std::string& sku, int64_t units) {
    grpc::ClientContext context;
    inventory::v1::AdjustStockRequest receipt;
    receipt.set_sku(sku);
    receipt.set_warehouse_id("SH-01");
    receipt.set_delta(units);
    receipt.set_reason(inventory::v1::RECEIPT);
    inventory::v1::AdjustStockResponse response;
    EXPECT_TRUE(inventory_stub_->AdjustStock(&context, receipt, &response).ok());
    return response;
  }

  // Feeds every service's new events to the orchestrator and runs its workflows until
  // nothing moves any more.
  void Pump() {
    for (int round = 0; round < 20; ++round) {
      int64_t applied = 0;
      for (auto& consumer : consumers_) applied += *consumer->PollOnce();
      absl::StatusOr<v1::RunWorkflowsResponse> run = orchestrator_->RunWorkflows();
      ASSERT_TRUE(run.ok()) << run.status();
      if (applied == 0 && run->advanced() == 0) return;
    }
  }

  v1::PlaceOrderResponse Place(order::v1::CreateOrderRequest order_request,
                               const std::string& key) {
    v1::PlaceOrderRequest request;
    request.set_idempotency_key(key);
    *request.mutable_order() = order_request;
    absl::StatusOr<v1::PlaceOrderResponse> response = orchestrator_->PlaceOrder(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::PlaceOrderResponse();
  }

  order::v1::Order Order(const std::string& order_id) {
    grpc::ClientContext context;
    order::v1::GetOrderRequest request;
    request.set_order_id(order_id);
    order::v1::Order order;
    EXPECT_TRUE(order_stub_->GetOrder(&context, request, &order).ok());
    return order;
  }

  v1::Workflow Workflow(const std::string& order_id) {
    v1::GetWorkflowRequest request;
    request.set_order_id(order_id);
    return *orchestrator_->GetWorkflow(request);
  }

  std::vector<logistics::v1::Shipment> Shipments(const std::string& order_id) {
    grpc::ClientContext context;
    logistics::v1::ListShipmentsRequest request;
    request.set_order_id(order_id);
    logistics::v1::ListShipmentsResponse response;
    EXPECT_TRUE(logistics_stub_->ListShipments(&context, request, &response).ok());
    return {response.shipments().begin(), response.shipments().end()};
  }

  void Track(const logistics::v1::Shipment& shipment, logistics::v1::TrackingEvent::Code code,
             const std::string& id) {
    logistics::v1::TrackingEvent event;
    event.set_tracking_number(shipment.tracking_number());
    event.set_carrier_event_id(id);
    event.set_code(code);
    *event.mutable_occurred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
    grpc::ClientContext context;
    logistics::v1::RecordTrackingEventResponse response;
    ASSERT_TRUE(logistics_stub_->RecordTrackingEvent(&context, event, &response).ok());
  }

  inventory::v1::StockSummary StockOf(const std::string& sku) {
    grpc::ClientContext context;
    inventory::v1::GetStockRequest request;
    request.set_sku(sku);
    inventory::v1::StockSummary summary;
    EXPECT_TRUE(inventory_stub_->GetStock(&context, request, &summary).ok());
    return summary;
  }

  std::vector<v1::ExceptionTicket> Tickets(const std::string& order_id) {
    v1::ListExceptionsRequest request;
    request.set_order_id(order_id);
    absl::StatusOr<v1::ListExceptionsResponse> listed = orchestrator_->ListExceptions(request);
    EXPECT_TRUE(listed.ok());
    return {listed->tickets().begin(), listed->tickets().end()};
  }

  void SaveRule(v1::ReviewRule rule) {
    v1::SaveReviewRuleRequest request;
    rule.set_enabled(true);
    *request.mutable_rule() = rule;
    ASSERT_TRUE(orchestrator_->SaveReviewRule(request).ok());
  }

  FakeClock clock_;
  InProcess order_, inventory_, logistics_;
  logistics::LogisticsService* logistics_service_ = nullptr;
  std::unique_ptr<order::v1::OrderService::Stub> order_stub_;
  std::unique_ptr<inventory::v1::InventoryService::Stub> inventory_stub_;
  std::unique_ptr<logistics::v1::LogisticsService::Stub> logistics_stub_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<Orchestrator> orchestrator_;
  std::vector<std::unique_ptr<events::v1::EventFeed::Stub>> feeds_;
  std::vector<std::unique_ptr<FeedConsumer>> consumers_;
};

TEST_F(OrchestratorTest, HappyPathFromPlaceOrderToCompleted) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  EXPECT_EQ(placed.review().outcome(), v1::ReviewDecision::APPROVED);
  EXPECT_EQ(placed.status(), order::v1::SHIPPED);  // allocated and handed to a carrier at once
  EXPECT_TRUE(placed.allocation().fully_allocated());
  ASSERT_EQ(placed.allocation().warehouses_size(), 1);
  EXPECT_EQ(placed.allocation().warehouses(0), "SH-01");
  // The same request again changes nothing.
  EXPECT_EQ(Place(order::SampleCreateOrder("WEB-1"), "k1").order_id(), placed.order_id());
  std::vector<logistics::v1::Shipment> shipments = Shipments(placed.order_id());
  ASSERT_EQ(shipments.size(), 1u);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);

  Track(shipments[0], logistics::v1::TrackingEvent::PICKED_UP, "e1");
  Pump();
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), 18);  // committed at pickup
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
  Track(shipments[0], logistics::v1::TrackingEvent::DELIVERED, "e2");
  Pump();
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::COMPLETED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::PAID);  // COD: paid on delivery
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::COMPLETED);
  EXPECT_TRUE(Tickets(placed.order_id()).empty());
}

TEST_F(OrchestratorTest, ManualReviewApproveMovesOnRejectStops) {
  v1::ReviewRule big;
  big.set_rule_id("big");
  big.set_position(1);
  big.set_kind(v1::ReviewRule::AMOUNT_ABOVE);
  big.mutable_limit()->set_currency_code("CNY");
  big.mutable_limit()->set_minor_units(10000);
  big.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(big);
  v1::PlaceOrderResponse first = Place(order::SampleCreateOrder("WEB-1"), "k1");
  v1::PlaceOrderResponse second = Place(order::SampleCreateOrder("WEB-2"), "k2");
  EXPECT_EQ(first.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(first.status(), order::v1::PENDING_REVIEW);
  EXPECT_EQ(first.review().rule_id(), "big");
  auto queue = orchestrator_->ListReviewQueue();
  ASSERT_EQ(queue->entries_size(), 2);
  EXPECT_EQ(queue->entries(0).order_id(), first.order_id());  // oldest first
  EXPECT_EQ(queue->entries(0).reasons(0).rule_id(), "big");

  v1::ReviewOrderRequest approve;
  approve.set_order_id(first.order_id());
  approve.set_reviewer("reviewer:chen");
  approve.set_note("known customer");
  ASSERT_TRUE(orchestrator_->ApproveOrder(approve).ok());
  EXPECT_EQ(Order(first.order_id()).status(), order::v1::SHIPPED);

  v1::ReviewOrderRequest reject;
  reject.set_order_id(second.order_id());
  reject.set_reviewer("reviewer:chen");
  ASSERT_TRUE(orchestrator_->RejectOrder(reject).ok());
  EXPECT_EQ(Order(second.order_id()).status(), order::v1::REJECTED);
  EXPECT_EQ(Workflow(second.order_id()).stage(), v1::REJECTED);
  EXPECT_EQ(orchestrator_->ApproveOrder(reject).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(orchestrator_->ListReviewQueue()->entries_size(), 0);
}

TEST_F(OrchestratorTest, BlockedCustomerIsRejectedAutomatically) {
  v1::ReviewRule block;
  block.set_rule_id("fraud");
  block.set_position(1);
  block.set_kind(v1::ReviewRule::BLOCKLIST);
  block.add_blocked("13800138000");
  block.set_action(v1::ReviewRule::REJECT);
  SaveRule(block);
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  EXPECT_EQ(placed.review().outcome(), v1::ReviewDecision::REJECTED);
  EXPECT_EQ(placed.status(), order::v1::REJECTED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(OrchestratorTest, UnpaidPrepaidOrderIsCancelledAfterTheTimeout) {
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-1");
  prepaid.set_payment_method(order::v1::PREPAID);
  v1::PlaceOrderResponse placed = Place(prepaid, "k1");
  EXPECT_EQ(placed.stage(), v1::AWAITING_PAYMENT);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);  // nothing held before payment
  clock_.Advance(absl::Minutes(31));
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::CANCELLED);
  std::vector<v1::ExceptionTicket> tickets = Tickets(placed.order_id());
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type(), v1::PAYMENT_TIMEOUT);
}

TEST_F(OrchestratorTest, PaidPrepaidOrderIsAllocatedAndShipped) {
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-1");
  prepaid.set_payment_method(order::v1::PREPAID);
  v1::PlaceOrderResponse placed = Place(prepaid, "k1");
  grpc::ClientContext context;
  order::v1::RecordPaymentRequest pay;
  pay.set_order_id(placed.order_id());
  pay.set_status(order::v1::Payment::PAID);
  *pay.mutable_amount() = Order(placed.order_id()).total();
  order::v1::Order paid;
  ASSERT_TRUE(order_stub_->RecordPayment(&context, pay, &paid).ok());
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
  EXPECT_EQ(Shipments(placed.order_id()).size(), 1u);
}

TEST_F(OrchestratorTest, BackorderedOrderShipsAfterAReceipt) {
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);  // 20 in stock
  v1::PlaceOrderResponse placed = Place(big, "k1");
  EXPECT_EQ(placed.stage(), v1::BACKORDERED);
  EXPECT_EQ(placed.status(), order::v1::BACKORDERED);
  ASSERT_EQ(placed.allocation().backordered_size(), 1);
  EXPECT_EQ(placed.allocation().backordered(0).quantity(), 5);
  Receive("TEA-LONGJING-250G", 10);
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
  EXPECT_EQ(Shipments(placed.order_id()).size(), 1u);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 25);
}

TEST_F(OrchestratorTest, LostParcelOpensOneTicketResolvedByReshipThenCompletes) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
  Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, "e1");
  Pump();
  clock_.Advance(absl::Hours(80));  // silence: lost
  ASSERT_TRUE(logistics_service_->shipping().RunDetection().ok());
  ASSERT_TRUE(logistics_service_->shipping().RunDetection().ok());
  Pump();
  std::vector<v1::ExceptionTicket> tickets = Tickets(placed.order_id());
  ASSERT_EQ(tickets.size(), 1u);  // one ticket per (order, type), not per detection
  EXPECT_EQ(tickets[0].type(), v1::PACKAGE_LOST);
  EXPECT_EQ(tickets[0].shipment_id(), shipment.shipment_id());

  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(tickets[0].ticket_id());
  resolve.set_resolution(v1::RESHIP);
  resolve.set_actor("ops:li");
  absl::StatusOr<v1::ExceptionTicket> resolved = orchestrator_->ResolveException(resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->status(), v1::ExceptionTicket::RESOLVED);
  EXPECT_EQ(resolved->history_size(), 2);
  std::vector<logistics::v1::Shipment> shipments = Shipments(placed.order_id());
  ASSERT_EQ(shipments.size(), 2u);
  logistics::v1::Shipment replacement =
      shipments[0].reship_of().empty() ? shipments[1] : shipments[0];
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);  // re-reserved for the reshipment
  Track(replacement, logistics::v1::TrackingEvent::PICKED_UP, "r1");
  Track(replacement, logistics::v1::TrackingEvent::DELIVERED, "r2");
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::COMPLETED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), 16);  // two parcels' worth left stock
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(OrchestratorTest, ComplaintTicketCancelOrderReleasesStock) {
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);
  v1::PlaceOrderResponse placed = Place(big, "k1");  // backordered, 20 reserved
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 20);
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(placed.order_id());
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("customer no longer wants to wait");
  complaint.set_actor("cs:wang");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->OpenException(complaint);
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(orchestrator_->OpenException(complaint)->ticket_id(), ticket->ticket_id());
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(ticket->ticket_id());
  resolve.set_resolution(v1::CANCEL_ORDER);
  resolve.set_actor("cs:wang");
  ASSERT_TRUE(orchestrator_->ResolveException(resolve).ok());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").backordered(), 0);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::CANCELLED);
  v1::CloseExceptionRequest close;
  close.set_ticket_id(ticket->ticket_id());
  EXPECT_EQ(orchestrator_->CloseException(close)->status(), v1::ExceptionTicket::CLOSED);
}

TEST_F(OrchestratorTest, ServiceOutageIsRetriedWithBackoff) {
  inventory_.server->Shutdown();  // inventory is down when the order arrives
  v1::PlaceOrderRequest request;
  request.set_idempotency_key("k1");
  *request.mutable_order() = order::SampleCreateOrder("WEB-1");
  absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->PlaceOrder(request);
  ASSERT_TRUE(placed.ok()) << placed.status();  // accepted; allocation will follow
  v1::Workflow wf = Workflow(placed->order_id());
  EXPECT_EQ(wf.stage(), v1::ALLOCATING);
  EXPECT_EQ(wf.attempts(), 1);
  EXPECT_FALSE(wf.last_error().empty());
  EXPECT_TRUE(Tickets(placed->order_id()).empty());  // transient: no exception
}

TEST_F(OrchestratorTest, TicketsAreAssignedRoundRobinAndEscalateWhenOverdue) {
  v1::SaveExceptionRuleRequest rule;
  rule.mutable_rule()->set_type(v1::CUSTOMER_COMPLAINT);
  rule.mutable_rule()->set_severity(v1::HIGH);
  rule.mutable_rule()->set_group("customer-care");
  rule.mutable_rule()->add_members("cs:wang");
  rule.mutable_rule()->add_members("cs:li");
  rule.mutable_rule()->set_lead("cs:lead-zhao");
  rule.mutable_rule()->mutable_sla()->set_seconds(3600);
  ASSERT_TRUE(orchestrator_->SaveExceptionRule(rule).ok());
  std::vector<std::string> assignees;
  std::vector<std::string> tickets;
  for (int i = 0; i < 3; ++i) {
    v1::PlaceOrderResponse placed =
        Place(order::SampleCreateOrder("WEB-" + std::to_string(i)), "k" + std::to_string(i));
    v1::OpenExceptionRequest complaint;
    complaint.set_order_id(placed.order_id());
    complaint.set_type(v1::CUSTOMER_COMPLAINT);
    complaint.set_description("late");
    absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->OpenException(complaint);
    ASSERT_TRUE(ticket.ok());
    EXPECT_EQ(ticket->severity(), v1::HIGH);
    assignees.push_back(ticket->assignee());
    tickets.push_back(ticket->ticket_id());
  }
  EXPECT_EQ(assignees, (std::vector<std::string>{"cs:wang", "cs:li", "cs:wang"}));
  EXPECT_EQ(*orchestrator_->EscalateOverdue(), 0);
  clock_.Advance(absl::Minutes(61));
  EXPECT_EQ(*orchestrator_->EscalateOverdue(), 3);
  EXPECT_EQ(*orchestrator_->EscalateOverdue(), 0);  // due again an hour later, not now
  v1::GetExceptionRequest get;
  get.set_ticket_id(tickets[0]);
  v1::ExceptionTicket escalated = *orchestrator_->GetException(get);
  EXPECT_EQ(escalated.escalation_level(), 1);
  EXPECT_EQ(escalated.assignee(), "cs:lead-zhao");
  EXPECT_EQ(escalated.history().rbegin()->action(), "escalated");
  v1::ListExceptionsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_EQ(orchestrator_->ListExceptions(overdue)->tickets_size(), 0);
  v1::ListExceptionsRequest mine;
  mine.set_assignee("cs:lead-zhao");
  EXPECT_EQ(orchestrator_->ListExceptions(mine)->tickets_size(), 3);
}

TEST_F(OrchestratorTest, PaymentTimeoutRuleCanLeaveTheOrderWaiting) {
  v1::SaveExceptionRuleRequest rule;
  rule.mutable_rule()->set_type(v1::PAYMENT_TIMEOUT);
  rule.mutable_rule()->set_auto_cancel_order(false);
  ASSERT_TRUE(orchestrator_->SaveExceptionRule(rule).ok());
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-1");
  prepaid.set_payment_method(order::v1::PREPAID);
  v1::PlaceOrderResponse placed = Place(prepaid, "k1");
  clock_.Advance(absl::Minutes(31));
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::APPROVED);  // still waiting
  ASSERT_EQ(Tickets(placed.order_id()).size(), 1u);
  EXPECT_EQ(Tickets(placed.order_id())[0].type(), v1::PAYMENT_TIMEOUT);
}

TEST_F(OrchestratorTest, ReturnIsRestockedAndRefunded) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
  Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, "e1");
  Track(shipment, logistics::v1::TrackingEvent::DELIVERED, "e2");
  Pump();
  ASSERT_EQ(Order(placed.order_id()).status(), order::v1::COMPLETED);
  int64_t on_hand = StockOf("TEA-LONGJING-250G").on_hand();

  v1::RequestReturnRequest request;
  request.set_order_id(placed.order_id());
  request.set_reason("wrong flavour");
  v1::ReturnLine* line = request.add_lines();
  line->set_sku("TEA-LONGJING-250G");
  line->set_quantity(2);
  absl::StatusOr<v1::ReturnRecord> requested = orchestrator_->RequestReturn(request);
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::RETURN_REQUESTED);
  line->set_quantity(9);
  EXPECT_EQ(orchestrator_->RequestReturn(request).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ReceiveReturnRequest receive;
  receive.set_return_id(requested->return_id());
  receive.set_warehouse_id("SH-01");
  ASSERT_TRUE(orchestrator_->ReceiveReturn(receive).ok());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::RETURNED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), on_hand + 2);  // restocked (RETURN)

  v1::RefundReturnRequest refund;
  refund.set_return_id(requested->return_id());
  absl::StatusOr<v1::ReturnRecord> refunded = orchestrator_->RefundReturn(refund);
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(refunded->refund().minor_units(), 2 * 12800);
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::REFUNDED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_TRUE(orchestrator_->RefundReturn(refund).ok());  // twice is harmless
}

TEST_F(OrchestratorTest, SubstituteReplacesABackorderedLineAndShips) {
  Stock("TEA-BILUOCHUN-250G", 30);
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);  // only 20 of Longjing
  v1::PlaceOrderResponse placed = Place(big, "k1");
  ASSERT_EQ(placed.stage(), v1::BACKORDERED);
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(placed.order_id());
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("will take Biluochun instead");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->OpenException(complaint);
  ASSERT_TRUE(ticket.ok());
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(ticket->ticket_id());
  resolve.set_resolution(v1::SUBSTITUTE);
  resolve.set_actor("cs:wang");
  resolve.set_substitute_from_sku("TEA-LONGJING-250G");
  resolve.set_substitute_to_sku("TEA-BILUOCHUN-250G");
  absl::StatusOr<v1::ExceptionTicket> resolved = orchestrator_->ResolveException(resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  Pump();
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::SHIPPED);
  EXPECT_EQ(order.lines(0).sku(), "TEA-BILUOCHUN-250G");
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").backordered(), 0);
  EXPECT_EQ(StockOf("TEA-BILUOCHUN-250G").reserved(), 25);
  EXPECT_EQ(Shipments(placed.order_id()).size(), 1u);
}

TEST_F(OrchestratorTest, RefundResolutionRefundsReleasesAndCancels) {
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-1");
  prepaid.set_payment_method(order::v1::PREPAID);
  prepaid.mutable_lines(0)->set_quantity(25);  // paid, then stuck in backorder
  v1::PlaceOrderResponse placed = Place(prepaid, "k1");
  grpc::ClientContext context;
  order::v1::RecordPaymentRequest pay;
  pay.set_order_id(placed.order_id());
  pay.set_status(order::v1::Payment::PAID);
  *pay.mutable_amount() = Order(placed.order_id()).total();
  order::v1::Order paid;
  ASSERT_TRUE(order_stub_->RecordPayment(&context, pay, &paid).ok());
  Pump();
  ASSERT_EQ(Workflow(placed.order_id()).stage(), v1::BACKORDERED);
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(placed.order_id());
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("wants the money back");
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(orchestrator_->OpenException(complaint)->ticket_id());
  resolve.set_resolution(v1::REFUND);
  resolve.set_actor("cs:wang");
  ASSERT_TRUE(orchestrator_->ResolveException(resolve).ok());
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(OrchestratorTest, NoCarrierForTheParcelCompensatesAndOpensATicket) {
  Stock("ANVIL-100KG", 5, /*weight_g=*/100000);  // heavier than any carrier takes
  order::v1::CreateOrderRequest heavy = order::SampleCreateOrder("WEB-1");
  heavy.clear_lines();
  order::v1::OrderLine* line = heavy.add_lines();
  line->set_sku("ANVIL-100KG");
  line->set_quantity(1);
  line->mutable_unit_price()->set_currency_code("CNY");
  line->mutable_unit_price()->set_minor_units(99900);
  v1::PlaceOrderResponse placed = Place(heavy, "k1");
  v1::Workflow wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::SHIPPING);
  EXPECT_TRUE(wf.compensated());
  EXPECT_NE(wf.last_error().find("no carrier can take this parcel"), std::string::npos);
  EXPECT_EQ(StockOf("ANVIL-100KG").reserved(), 0);  // not held hostage
  std::vector<v1::ExceptionTicket> tickets = Tickets(placed.order_id());
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type(), v1::INVALID_CUSTOMER_INFO);
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(tickets[0].ticket_id());
  resolve.set_resolution(v1::CANCEL_ORDER);
  resolve.set_actor("ops:li");
  ASSERT_TRUE(orchestrator_->ResolveException(resolve).ok());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
}

}  // namespace
}  // namespace oms::orchestrator
