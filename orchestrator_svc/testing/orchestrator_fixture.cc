#include "orchestrator_svc/testing/orchestrator_fixture.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "inventory_svc/inventory_service.h"
#include "inventory_svc/inventory_store.h"
#include "logistics_svc/logistics_store.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "order_svc/order_service.h"
#include "order_svc/order_store.h"
#include "order_svc/test_orders.h"
#include "platform/testing/in_memory_host.h"

namespace oms::orchestrator::testing {

using google::protobuf::util::TimeUtil;

absl::StatusOr<analytics::v1::ScoreOrderResponse> FakeAnalytics::ScoreOrder(
    const analytics::v1::ScoreOrderRequest& request) {
  ++calls;
  if (down) return absl::UnavailableError("analytics_svc is down");
  int64_t units = 0;
  for (const auto& line : request.lines()) units += line.quantity();
  analytics::v1::ScoreOrderResponse response;
  if (units > flag_above) {
    analytics::v1::Anomaly* a = response.add_anomalies();
    a->set_metric("order_quantity");
    a->set_explanation(
        absl::StrCat("units ordered: ", units, " is far above the customer's usual"));
  }
  return response;
}

void InProcess::Start(const std::string& full_name) {
  server = std::make_unique<oms::testing::InProcessServer>(host.get(), service.get(), full_name,
                                                           /*with_event_feed=*/true);
  ASSERT_TRUE(server->Start().ok());
  channel = server->Channel();
}

void OrchestratorFixture::SetUp() {
  order_.host =
      oms::testing::InMemoryHost("order_svc", &clock_, {{"order", &order::store::Migrations()}});
  order_.service = std::make_unique<order::OrderService>(order_.host.get());
  order_.Start(order::v1::OrderService::service_full_name());
  inventory_.host = oms::testing::InMemoryHost("inventory_svc", &clock_,
                                               {{"inventory", &inventory::store::Migrations()}});
  inventory_.service = std::make_unique<inventory::InventoryService>(inventory_.host.get());
  inventory_.Start(inventory::v1::InventoryService::service_full_name());
  logistics_.host = oms::testing::InMemoryHost("logistics_svc", &clock_,
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
  OrchestratorOptions options;
  order_peer_ = std::make_unique<GrpcOrderPeer>(order_stub_.get(), options.call_deadline);
  inventory_peer_ =
      std::make_unique<GrpcInventoryPeer>(inventory_stub_.get(), options.call_deadline);
  logistics_peer_ =
      std::make_unique<GrpcLogisticsPeer>(logistics_stub_.get(), options.call_deadline);
  host_ = oms::testing::InMemoryHost("orchestrator_svc", &clock_,
                                     {{"orchestrator", &store::Migrations()}});
  orchestrator_ = std::make_unique<Orchestrator>(
      host_.get(),
      Peers{order_peer_.get(), inventory_peer_.get(), logistics_peer_.get(), &analytics_}, options);
  for (InProcess* source : {&order_, &inventory_, &logistics_}) {
    feeds_.push_back(events::v1::EventFeed::NewStub(source->channel));
    FeedConsumer::Options feed_options;  // as main.cc follows the feeds
    feed_options.types = orchestrator_->events().types();
    consumers_.push_back(std::make_unique<FeedConsumer>(
        &host_->db(), source->host->name(), feeds_.back().get(),
        [this](Session& s, const events::v1::Event& e) {
          return orchestrator_->events().Handle(s, e);
        },
        feed_options));
  }
  Stock("TEA-LONGJING-250G", 20);
  Stock("CUP-CELADON", 20);
}

void OrchestratorFixture::TearDown() {
  for (InProcess* p : {&order_, &inventory_, &logistics_}) {
    if (p->server != nullptr) p->server->Shutdown();
  }
}

void OrchestratorFixture::Stock(const std::string& sku, int64_t units, int64_t weight_g) {
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

void OrchestratorFixture::StockNorth(const std::string& sku, int64_t units) {
  grpc::ClientContext warehouse_context;
  inventory::v1::CreateWarehouseRequest warehouse;
  warehouse.mutable_warehouse()->set_warehouse_id("BJ-01");
  warehouse.mutable_warehouse()->set_name("Beijing");
  warehouse.mutable_warehouse()->set_region("North");
  inventory::v1::Warehouse w;
  inventory_stub_->CreateWarehouse(&warehouse_context, warehouse, &w);
  if (units > 0) Receive(sku, units, "BJ-01");
}

inventory::v1::AdjustStockResponse OrchestratorFixture::Receive(const std::string& sku,
                                                                int64_t units,
                                                                const std::string& warehouse_id) {
  grpc::ClientContext context;
  inventory::v1::AdjustStockRequest receipt;
  receipt.set_sku(sku);
  receipt.set_warehouse_id(warehouse_id);
  receipt.set_delta(units);
  receipt.set_reason(inventory::v1::RECEIPT);
  inventory::v1::AdjustStockResponse response;
  grpc::Status status = inventory_stub_->AdjustStock(&context, receipt, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

void OrchestratorFixture::Pump() {
  for (int round = 0; round < 30; ++round) {
    int64_t applied = 0;
    for (auto& consumer : consumers_) applied += *consumer->PollOnce();
    absl::StatusOr<v1::RunWorkflowsResponse> run = orchestrator_->engine().RunDue();
    ASSERT_TRUE(run.ok()) << run.status();
    if (applied == 0 && run->advanced() == 0) return;
  }
}

v1::PlaceOrderResponse OrchestratorFixture::Place(order::v1::CreateOrderRequest order_request,
                                                  const std::string& key) {
  v1::PlaceOrderRequest request;
  request.set_idempotency_key(key);
  *request.mutable_order() = order_request;
  absl::StatusOr<v1::PlaceOrderResponse> response = orchestrator_->intake().PlaceOrder(request);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : v1::PlaceOrderResponse();
}

order::v1::Order OrchestratorFixture::Order(const std::string& order_id) {
  grpc::ClientContext context;
  order::v1::GetOrderRequest request;
  request.set_order_id(order_id);
  order::v1::Order order;
  EXPECT_TRUE(order_stub_->GetOrder(&context, request, &order).ok());
  return order;
}

order::v1::GetOrderHistoryResponse OrchestratorFixture::History(const std::string& order_id) {
  grpc::ClientContext context;
  order::v1::GetOrderHistoryRequest request;
  request.set_order_id(order_id);
  order::v1::GetOrderHistoryResponse history;
  EXPECT_TRUE(order_stub_->GetOrderHistory(&context, request, &history).ok());
  return history;
}

v1::Workflow OrchestratorFixture::Workflow(const std::string& order_id) {
  v1::GetWorkflowRequest request;
  request.set_order_id(order_id);
  absl::StatusOr<v1::Workflow> wf = orchestrator_->intake().GetWorkflow(request);
  EXPECT_TRUE(wf.ok()) << wf.status();
  return wf.ok() ? *wf : v1::Workflow();
}

std::vector<logistics::v1::Shipment> OrchestratorFixture::Shipments(const std::string& order_id) {
  grpc::ClientContext context;
  logistics::v1::ListShipmentsRequest request;
  request.set_order_id(order_id);
  logistics::v1::ListShipmentsResponse response;
  EXPECT_TRUE(logistics_stub_->ListShipments(&context, request, &response).ok());
  return {response.shipments().begin(), response.shipments().end()};
}

void OrchestratorFixture::Track(const logistics::v1::Shipment& shipment,
                                logistics::v1::TrackingEvent::Code code, const std::string& id) {
  logistics::v1::TrackingEvent event;
  event.set_tracking_number(shipment.tracking_number());
  event.set_carrier_event_id(id);
  event.set_code(code);
  *event.mutable_occurred_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
  grpc::ClientContext context;
  logistics::v1::RecordTrackingEventResponse response;
  grpc::Status status = logistics_stub_->RecordTrackingEvent(&context, event, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

inventory::v1::StockSummary OrchestratorFixture::StockOf(const std::string& sku) {
  grpc::ClientContext context;
  inventory::v1::GetStockRequest request;
  request.set_sku(sku);
  inventory::v1::StockSummary summary;
  EXPECT_TRUE(inventory_stub_->GetStock(&context, request, &summary).ok());
  return summary;
}

std::vector<inventory::v1::Reservation> OrchestratorFixture::Reservations(
    const std::string& order_id) {
  grpc::ClientContext context;
  inventory::v1::ListReservationsRequest request;
  request.set_order_id(order_id);
  request.add_statuses(inventory::v1::Reservation::ACTIVE);
  inventory::v1::ListReservationsResponse response;
  EXPECT_TRUE(inventory_stub_->ListReservations(&context, request, &response).ok());
  return {response.reservations().begin(), response.reservations().end()};
}

std::vector<inventory::v1::Backorder> OrchestratorFixture::Backorders(const std::string& order_id) {
  grpc::ClientContext context;
  inventory::v1::ListBackordersRequest request;
  request.set_order_id(order_id);
  inventory::v1::ListBackordersResponse response;
  EXPECT_TRUE(inventory_stub_->ListBackorders(&context, request, &response).ok());
  return {response.backorders().begin(), response.backorders().end()};
}

bool OrchestratorFixture::InventoryClean() {
  grpc::ClientContext context;
  inventory::v1::CheckInvariantsResponse response;
  EXPECT_TRUE(
      inventory_stub_->CheckInvariants(&context, inventory::v1::CheckInvariantsRequest(), &response)
          .ok());
  return response.clean();
}

std::vector<v1::ExceptionTicket> OrchestratorFixture::Tickets(const std::string& order_id) {
  v1::ListExceptionsRequest request;
  request.set_order_id(order_id);
  absl::StatusOr<v1::ListExceptionsResponse> listed = orchestrator_->tickets().List(request);
  EXPECT_TRUE(listed.ok());
  return {listed->tickets().begin(), listed->tickets().end()};
}

void OrchestratorFixture::SaveRule(v1::ReviewRule rule) {
  v1::SaveReviewRuleRequest request;
  rule.set_enabled(true);
  *request.mutable_rule() = rule;
  absl::StatusOr<v1::ReviewRule> saved = orchestrator_->review_desk().SaveRule(request);
  ASSERT_TRUE(saved.ok()) << saved.status();
}

namespace {

grpc::Status Record(order::v1::OrderService::Stub& orders,
                    const order::v1::RecordPaymentRequest& request) {
  grpc::ClientContext context;
  order::v1::Order answer;
  return orders.RecordPayment(&context, request, &answer);
}

}  // namespace

grpc::Status OrchestratorFixture::PayTotal(const std::string& order_id) {
  order::v1::RecordPaymentRequest pay;
  pay.set_order_id(order_id);
  pay.set_status(order::v1::Payment::PAID);
  *pay.mutable_amount() = Order(order_id).total();
  return Record(*order_stub_, pay);
}

void OrchestratorFixture::Pay(const std::string& order_id) {
  grpc::Status status = PayTotal(order_id);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void OrchestratorFixture::RefundPart(const std::string& order_id, int64_t amount,
                                     const std::string& reference) {
  order::v1::RecordPaymentRequest refund;
  refund.set_order_id(order_id);
  refund.set_status(order::v1::Payment::REFUNDED);
  refund.mutable_amount()->set_currency_code(Order(order_id).currency_code());
  refund.mutable_amount()->set_minor_units(amount);
  refund.set_reference(reference);
  grpc::Status status = Record(*order_stub_, refund);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

std::string OrchestratorFixture::PlacedAndPaid(order::v1::CreateOrderRequest order) {
  order.set_payment_method(order::v1::PREPAID);
  v1::PlaceOrderResponse placed = Place(order, "k-" + order.external_reference());
  Pay(placed.order_id());
  Pump();
  return placed.order_id();
}

std::string OrchestratorFixture::Complaint(const std::string& order_id) {
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(order_id);
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("wants the money back");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
  EXPECT_TRUE(ticket.ok()) << ticket.status();
  return ticket.ok() ? ticket->ticket_id() : "";
}

v1::PlaceOrderResponse OrchestratorFixture::Labelled(const std::string& reference) {
  order::v1::CreateOrderRequest request = order::SampleCreateOrder(reference);
  request.mutable_lines()->DeleteSubrange(1, 1);  // tea only
  v1::PlaceOrderResponse placed = Place(request, "k-" + reference);
  EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  return placed;
}

std::vector<logistics::v1::Shipment> OrchestratorFixture::LiveShipments(
    const std::string& order_id) {
  std::vector<logistics::v1::Shipment> live;
  for (const auto& s : Shipments(order_id)) {
    if (s.state() != logistics::v1::CANCELLED) live.push_back(s);
  }
  return live;
}

bool OrchestratorFixture::HistoryHas(const std::string& order_id, order::v1::OrderStatus to,
                                     const std::string& actor) {
  order::v1::GetOrderHistoryResponse history = History(order_id);
  for (const order::v1::StatusChange& c : history.changes()) {
    if (c.to_status() == to && c.actor() == actor) return true;
  }
  return false;
}

v1::PlaceOrderResponse OrchestratorFixture::PlaceTooHeavy() {
  Stock("ANVIL-100KG", 5, /*weight_g=*/100000);
  order::v1::CreateOrderRequest heavy = order::SampleCreateOrder("HEAVY-1");
  heavy.clear_lines();
  order::v1::OrderLine* line = heavy.add_lines();
  line->set_sku("ANVIL-100KG");
  line->set_quantity(1);
  line->mutable_unit_price()->set_currency_code("CNY");
  line->mutable_unit_price()->set_minor_units(99900);
  return Place(heavy, "k-heavy");
}

v1::AmendOrderRequest OrchestratorFixture::TeaAmendment(const std::string& order_id, int64_t tea,
                                                        const std::string& key) {
  v1::AmendOrderRequest amend;
  amend.set_idempotency_key(key);
  amend.set_order_id(order_id);
  amend.set_actor("cs:wang");
  amend.set_reason("a different quantity");
  order::v1::OrderLine* line = amend.mutable_lines()->add_lines();
  line->set_sku("TEA-LONGJING-250G");
  line->set_quantity(tea);
  line->mutable_unit_price()->set_currency_code("CNY");
  line->mutable_unit_price()->set_minor_units(12800);
  return amend;
}

absl::StatusOr<v1::Workflow> OrchestratorFixture::Cancel(const std::string& order_id,
                                                         const std::string& actor,
                                                         const std::string& reason) {
  v1::CancelOrderRequest request;
  request.set_idempotency_key(absl::StrCat("cancel-", ++keys_));
  request.set_order_id(order_id);
  request.set_actor(actor);
  request.set_reason(reason);
  return orchestrator_->commands().Cancel(request);
}

absl::StatusOr<v1::Workflow> OrchestratorFixture::Hold(const std::string& order_id) {
  v1::HoldOrderRequest request;
  request.set_idempotency_key(absl::StrCat("hold-", ++keys_));
  request.set_order_id(order_id);
  request.set_actor("ops:li");
  request.set_reason("address check");
  return orchestrator_->commands().Hold(request);
}

absl::StatusOr<v1::Workflow> OrchestratorFixture::ReleaseHold(const std::string& order_id) {
  v1::ReleaseHoldRequest request;
  request.set_idempotency_key(absl::StrCat("release-", ++keys_));
  request.set_order_id(order_id);
  request.set_actor("ops:li");
  request.set_reason("address confirmed");
  return orchestrator_->commands().Release(request);
}

absl::StatusOr<v1::Workflow> OrchestratorFixture::MoveTo(const std::string& order_id,
                                                         const std::string& region) {
  v1::AmendOrderRequest request;
  request.set_idempotency_key(absl::StrCat("amend-", ++keys_));
  request.set_order_id(order_id);
  request.set_actor("cs:wang");
  request.set_reason("customer moved");
  *request.mutable_shipping_address() = order::AddressIn(region, "新地址 8 号");
  return orchestrator_->commands().Amend(request);
}

absl::StatusOr<v1::ExceptionTicket> OrchestratorFixture::Resolve(const std::string& ticket_id,
                                                                 v1::Resolution resolution) {
  v1::ResolveExceptionRequest request;
  request.set_ticket_id(ticket_id);
  request.set_resolution(resolution);
  request.set_actor("cs:wang");
  request.set_note("handled");
  return orchestrator_->resolutions().Resolve(request);
}

}  // namespace oms::orchestrator::testing
