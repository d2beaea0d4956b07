// The orchestrator end to end against real in-process order, inventory and logistics
// services (orchestrator_fixture.h): intake, review, backorders, tickets, returns,
// resolutions. Lifecycle commands are lifecycle_commands_test.cc; every command at every
// stage is workflow_model_test.cc.
#include "orchestrator_svc/testing/orchestrator_fixture.h"

#include "order_svc/test_orders.h"

namespace oms::orchestrator {
namespace {

class OrchestratorTest : public testing::OrchestratorFixture {};

TEST_F(OrchestratorTest, HappyPathFromPlaceOrderToCompleted) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  EXPECT_EQ(placed.review().outcome(), v1::ReviewDecision::APPROVED);
  // Allocated and labelled at once; SHIPPED only when the carrier picks it up.
  EXPECT_EQ(placed.status(), order::v1::ALLOCATED);
  EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
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
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
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
  auto queue = orchestrator_->review_desk().ListQueue();
  ASSERT_EQ(queue->entries_size(), 2);
  EXPECT_EQ(queue->entries(0).order_id(), first.order_id());  // oldest first
  EXPECT_EQ(queue->entries(0).reasons(0).rule_id(), "big");

  v1::ReviewOrderRequest approve;
  approve.set_order_id(first.order_id());
  approve.set_reviewer("reviewer:chen");
  approve.set_note("known customer");
  ASSERT_TRUE(orchestrator_->review_desk().Approve(approve).ok());
  EXPECT_EQ(Order(first.order_id()).status(), order::v1::ALLOCATED);

  v1::ReviewOrderRequest reject;
  reject.set_order_id(second.order_id());
  reject.set_reviewer("reviewer:chen");
  ASSERT_TRUE(orchestrator_->review_desk().Reject(reject).ok());
  EXPECT_EQ(Order(second.order_id()).status(), order::v1::REJECTED);
  EXPECT_EQ(Workflow(second.order_id()).stage(), v1::REJECTED);
  EXPECT_EQ(orchestrator_->review_desk().Approve(reject).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(orchestrator_->review_desk().ListQueue()->entries_size(), 0);
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
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ALLOCATED);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::AWAITING_PICKUP);
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
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ALLOCATED);
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
  absl::StatusOr<v1::ExceptionTicket> resolved = orchestrator_->resolutions().Resolve(resolve);
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
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(orchestrator_->tickets().OpenByPerson(complaint)->ticket_id(), ticket->ticket_id());
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(ticket->ticket_id());
  resolve.set_resolution(v1::CANCEL_ORDER);
  resolve.set_actor("cs:wang");
  ASSERT_TRUE(orchestrator_->resolutions().Resolve(resolve).ok());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").backordered(), 0);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::CANCELLED);
  v1::CloseExceptionRequest close;
  close.set_ticket_id(ticket->ticket_id());
  EXPECT_EQ(orchestrator_->tickets().Close(close)->status(), v1::ExceptionTicket::CLOSED);
}

TEST_F(OrchestratorTest, ServiceOutageIsRetriedWithBackoff) {
  inventory_.server->Shutdown();  // inventory is down when the order arrives
  v1::PlaceOrderRequest request;
  request.set_idempotency_key("k1");
  *request.mutable_order() = order::SampleCreateOrder("WEB-1");
  absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(request);
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
  ASSERT_TRUE(orchestrator_->tickets().SaveRule(rule).ok());
  std::vector<std::string> assignees;
  std::vector<std::string> tickets;
  for (int i = 0; i < 3; ++i) {
    v1::PlaceOrderResponse placed =
        Place(order::SampleCreateOrder("WEB-" + std::to_string(i)), "k" + std::to_string(i));
    v1::OpenExceptionRequest complaint;
    complaint.set_order_id(placed.order_id());
    complaint.set_type(v1::CUSTOMER_COMPLAINT);
    complaint.set_description("late");
    absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
    ASSERT_TRUE(ticket.ok());
    EXPECT_EQ(ticket->severity(), v1::HIGH);
    assignees.push_back(ticket->assignee());
    tickets.push_back(ticket->ticket_id());
  }
  EXPECT_EQ(assignees, (std::vector<std::string>{"cs:wang", "cs:li", "cs:wang"}));
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 0);
  clock_.Advance(absl::Minutes(61));
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 3);
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 0);  // due again an hour later, not now
  v1::GetExceptionRequest get;
  get.set_ticket_id(tickets[0]);
  v1::ExceptionTicket escalated = *orchestrator_->tickets().Get(get);
  EXPECT_EQ(escalated.escalation_level(), 1);
  EXPECT_EQ(escalated.assignee(), "cs:lead-zhao");
  EXPECT_EQ(escalated.history().rbegin()->action(), "escalated");
  // Escalation moved the due time, but the tickets missed their SLA: still overdue.
  v1::ListExceptionsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_EQ(orchestrator_->tickets().List(overdue)->tickets_size(), 3);
  v1::ListExceptionsRequest mine;
  mine.set_assignee("cs:lead-zhao");
  EXPECT_EQ(orchestrator_->tickets().List(mine)->tickets_size(), 3);
}

TEST_F(OrchestratorTest, PaymentTimeoutRuleCanLeaveTheOrderWaiting) {
  v1::SaveExceptionRuleRequest rule;
  rule.mutable_rule()->set_type(v1::PAYMENT_TIMEOUT);
  rule.mutable_rule()->set_auto_cancel_order(false);
  ASSERT_TRUE(orchestrator_->tickets().SaveRule(rule).ok());
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
  absl::StatusOr<v1::ReturnRecord> requested = orchestrator_->returns().Request(request);
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::RETURN_REQUESTED);
  line->set_quantity(9);
  EXPECT_EQ(orchestrator_->returns().Request(request).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ReceiveReturnRequest receive;
  receive.set_return_id(requested->return_id());
  receive.set_warehouse_id("SH-01");
  ASSERT_TRUE(orchestrator_->returns().Receive(receive).ok());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::RETURNED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), on_hand + 2);  // restocked (RETURN)

  v1::RefundReturnRequest refund;
  refund.set_return_id(requested->return_id());
  absl::StatusOr<v1::ReturnRecord> refunded = orchestrator_->returns().Refund(refund);
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(refunded->refund().minor_units(), 2 * 12800);
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::REFUNDED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_TRUE(orchestrator_->returns().Refund(refund).ok());  // twice is harmless
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
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
  ASSERT_TRUE(ticket.ok());
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(ticket->ticket_id());
  resolve.set_resolution(v1::SUBSTITUTE);
  resolve.set_actor("cs:wang");
  resolve.set_substitute_from_sku("TEA-LONGJING-250G");
  resolve.set_substitute_to_sku("TEA-BILUOCHUN-250G");
  absl::StatusOr<v1::ExceptionTicket> resolved = orchestrator_->resolutions().Resolve(resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  Pump();
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::ALLOCATED);
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
  resolve.set_ticket_id(orchestrator_->tickets().OpenByPerson(complaint)->ticket_id());
  resolve.set_resolution(v1::REFUND);
  resolve.set_actor("cs:wang");
  ASSERT_TRUE(orchestrator_->resolutions().Resolve(resolve).ok());
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(OrchestratorTest, NoCarrierForTheParcelStopsReleasesStockAndOpensATicket) {
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
  ASSERT_TRUE(orchestrator_->resolutions().Resolve(resolve).ok());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
}

}  // namespace
}  // namespace oms::orchestrator
