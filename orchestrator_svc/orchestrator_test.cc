// Workflows end to end against real in-process order, inventory and logistics services
// (testing/orchestrator_fixture.h): from PlaceOrder to completion, payment and its timeout,
// backorders served by a receipt, an outage retried, a refusal stopping the workflow.
// Per concept: review_desk_test, ticket_desk_test, resolutions_test, returns_test,
// lifecycle_commands_test; every command at every stage: workflow_model_test.
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
  Pay(placed.order_id());
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

TEST_F(OrchestratorTest, NoCarrierForTheParcelStopsReleasesStockAndOpensATicket) {
  v1::PlaceOrderResponse placed = PlaceTooHeavy();
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
