// Returns after delivery: requested, received (restocked), refunded.
// Against real in-process services (testing/orchestrator_fixture.h).
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"

namespace oms::orchestrator {
namespace {

class ReturnsTest : public testing::OrchestratorFixture {};

TEST_F(ReturnsTest, ReturnIsRestockedAndRefunded) {
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
  // What the two teas were paid: 256.00 less their share of the 10.00 discount, plus their
  // share of the tax (return_refund_test works it out); not their list price.
  EXPECT_EQ(refunded->refund().minor_units(), 24751 + 3218);
  EXPECT_EQ(refunded->refund_tax().minor_units(), 3218);
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::REFUNDED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_TRUE(orchestrator_->returns().Refund(refund).ok());  // twice is harmless
}

// A delivered sample order (2 tea, 1 cup) whose return of both teas is requested.
class ReceiveTest : public ReturnsTest {
 protected:
  v1::ReturnRecord RequestTeas(const std::string& reference) {
    v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder(reference), reference);
    logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
    Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, reference + "-e1");
    Track(shipment, logistics::v1::TrackingEvent::DELIVERED, reference + "-e2");
    Pump();
    v1::RequestReturnRequest request;
    request.set_order_id(placed.order_id());
    request.set_reason("changed my mind");
    v1::ReturnLine* line = request.add_lines();
    line->set_sku("TEA-LONGJING-250G");
    line->set_quantity(2);
    absl::StatusOr<v1::ReturnRecord> requested = orchestrator_->returns().Request(request);
    EXPECT_TRUE(requested.ok()) << requested.status();
    return *requested;
  }

  static v1::ReturnLine Line(const std::string& sku, int64_t quantity, bool damaged = false) {
    v1::ReturnLine line;
    line.set_sku(sku);
    line.set_quantity(quantity);
    line.set_damaged(damaged);
    return line;
  }
};

TEST_F(ReceiveTest, RefusesWhatTheOrderNeverHadAndMovesNoStock) {
  v1::ReturnRecord requested = RequestTeas("WEB-R1");
  int64_t tea = StockOf("TEA-LONGJING-250G").on_hand();
  v1::ReceiveReturnRequest receive;
  receive.set_return_id(requested.return_id());
  receive.set_warehouse_id("SH-01");
  *receive.add_lines() = Line("TEA-LONGJING-250G", 1);
  *receive.add_lines() = Line("TEA-LONGJING-250G", -5);  // would take stock away
  *receive.add_lines() = Line("NOT-SOLD", 1);            // would make stock out of nothing
  absl::Status refused = orchestrator_->returns().Receive(receive).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("lines[1].quantity"), absl::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("lines[2].sku: NOT-SOLD is not on order"),
            absl::string_view::npos)
      << refused;
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), tea);
  EXPECT_EQ(Order(requested.order_id()).status(), order::v1::RETURN_REQUESTED);

  receive.clear_lines();
  *receive.add_lines() = Line("TEA-LONGJING-250G", 3);  // the order had 2
  EXPECT_EQ(orchestrator_->returns().Receive(receive).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), tea);
}

TEST_F(ReceiveTest, TwoGoodLinesOfOneSkuAreBothRestockedAndRefundedAsReceived) {
  v1::ReturnRecord requested = RequestTeas("WEB-R2");
  int64_t tea = StockOf("TEA-LONGJING-250G").on_hand();
  int64_t cup = StockOf("CUP-CELADON").on_hand();
  v1::ReceiveReturnRequest receive;
  receive.set_return_id(requested.return_id());
  receive.set_warehouse_id("SH-01");
  *receive.add_lines() = Line("TEA-LONGJING-250G", 1);
  *receive.add_lines() = Line("TEA-LONGJING-250G", 1);
  *receive.add_lines() = Line("CUP-CELADON", 1, /*damaged=*/true);  // sent back, not asked for
  absl::StatusOr<v1::ReturnRecord> received = orchestrator_->returns().Receive(receive);
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), tea + 2);
  EXPECT_EQ(StockOf("CUP-CELADON").on_hand(), cup);  // damaged: not restocked

  v1::RefundReturnRequest refund;
  refund.set_return_id(requested.return_id());
  absl::StatusOr<v1::ReturnRecord> refunded = orchestrator_->returns().Refund(refund);
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  // Everything came back: what was paid, less the 8.00 shipping.
  EXPECT_EQ(refunded->refund().minor_units(), 33740 - 800);
  EXPECT_EQ(refunded->refund_tax().minor_units(), 3790);
  EXPECT_EQ(Order(requested.order_id()).payment().amount().minor_units(), 33740 - 800);
}

// An invoiced order is delivered, then returned before its invoice is paid. The payment
// that comes in afterwards completes the workflow, but must not take the order's status back
// from the return to COMPLETED ("return declined").
TEST_F(ReturnsTest, APaymentAfterTheReturnLeavesTheReturnAlone) {
  order::v1::CreateOrderRequest invoiced = order::SampleCreateOrder("ERP-R4");
  invoiced.set_payment_method(order::v1::CREDIT_TERMS);
  v1::PlaceOrderResponse placed = Place(invoiced, "k4");
  logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
  Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, "r4-e1");
  Track(shipment, logistics::v1::TrackingEvent::DELIVERED, "r4-e2");
  Pump();
  ASSERT_EQ(Order(placed.order_id()).status(), order::v1::DELIVERED);  // waits for payment

  v1::RequestReturnRequest request;
  request.set_order_id(placed.order_id());
  request.set_reason("wrong colour");
  v1::ReturnLine* cup = request.add_lines();
  cup->set_sku("CUP-CELADON");
  cup->set_quantity(1);
  absl::StatusOr<v1::ReturnRecord> requested = orchestrator_->returns().Request(request);
  ASSERT_TRUE(requested.ok()) << requested.status();
  Pay(placed.order_id());  // the invoice settled in full after all
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::RETURN_REQUESTED);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::COMPLETED);
  EXPECT_TRUE(Tickets(placed.order_id()).empty());

  v1::ReceiveReturnRequest receive;
  receive.set_return_id(requested->return_id());
  receive.set_warehouse_id("SH-01");
  ASSERT_TRUE(orchestrator_->returns().Receive(receive).ok());
  v1::RefundReturnRequest refund;
  refund.set_return_id(requested->return_id());
  absl::StatusOr<v1::ReturnRecord> refunded = orchestrator_->returns().Refund(refund);
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::REFUNDED);
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::REFUNDED);
}

TEST_F(ReturnsTest, AnUnpaidOrderHasNothingToRefund) {
  order::v1::CreateOrderRequest invoiced = order::SampleCreateOrder("ERP-R5");
  invoiced.set_payment_method(order::v1::CREDIT_TERMS);
  v1::PlaceOrderResponse placed = Place(invoiced, "k5");
  logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
  Track(shipment, logistics::v1::TrackingEvent::DELIVERED, "r5-e1");
  Pump();
  v1::RequestReturnRequest request;
  request.set_order_id(placed.order_id());
  request.set_reason("not needed");
  v1::ReturnLine* tea = request.add_lines();
  tea->set_sku("TEA-LONGJING-250G");
  tea->set_quantity(2);
  absl::StatusOr<v1::ReturnRecord> requested = orchestrator_->returns().Request(request);
  ASSERT_TRUE(requested.ok()) << requested.status();
  v1::ReceiveReturnRequest receive;
  receive.set_return_id(requested->return_id());
  receive.set_warehouse_id("SH-01");
  ASSERT_TRUE(orchestrator_->returns().Receive(receive).ok());
  v1::RefundReturnRequest refund;
  refund.set_return_id(requested->return_id());
  absl::Status refused = orchestrator_->returns().Refund(refund).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("was never paid (CREDIT_TERMS)"), absl::string_view::npos)
      << refused;
}

TEST_F(ReturnsTest, ARequestNamesEveryBadField) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-R3"), "k3");
  order::v1::OrderStatus before = Order(placed.order_id()).status();
  v1::RequestReturnRequest request;
  request.set_order_id(placed.order_id());
  v1::ReturnLine* tea = request.add_lines();
  tea->set_sku("TEA-LONGJING-250G");
  tea->set_quantity(2);
  *request.add_lines() = *tea;  // 4 teas of 2, over two lines
  absl::Status refused = orchestrator_->returns().Request(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("reason"), absl::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("TEA-LONGJING-250G x4 is more than the order has (2)"),
            absl::string_view::npos)
      << refused;
  EXPECT_EQ(Order(placed.order_id()).status(), before);

  // Well formed, but the goods have not reached the customer: cancel instead.
  request.set_reason("ordered twice");
  request.mutable_lines()->DeleteSubrange(1, 1);
  refused = orchestrator_->returns().Request(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("once its goods are delivered"), absl::string_view::npos)
      << refused;
  EXPECT_EQ(Order(placed.order_id()).status(), before);
}

}  // namespace
}  // namespace oms::orchestrator
