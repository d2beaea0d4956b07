// Returns after delivery: requested, received (restocked), refunded.
// Against real in-process services (testing/orchestrator_fixture.h).
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"

namespace oms::orchestrator {
namespace {

class ReturnsTest : public testing::OrchestratorFixture {
 protected:
  // Places `order` (keyed by its reference), has its parcel picked up and delivered, and
  // returns its id.
  std::string Delivered(const order::v1::CreateOrderRequest& order) {
    v1::PlaceOrderResponse placed = Place(order, order.external_reference());
    logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
    Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, order.external_reference() + "-e1");
    Track(shipment, logistics::v1::TrackingEvent::DELIVERED, order.external_reference() + "-e2");
    Pump();
    return placed.order_id();
  }

  static v1::ReturnLine Line(const std::string& sku, int64_t quantity, bool damaged = false) {
    v1::ReturnLine line;
    line.set_sku(sku);
    line.set_quantity(quantity);
    line.set_damaged(damaged);
    return line;
  }

  absl::StatusOr<v1::ReturnRecord> AskReturn(const std::string& order_id,
                                             std::vector<v1::ReturnLine> lines,
                                             const std::string& reason) {
    v1::RequestReturnRequest request;
    request.set_order_id(order_id);
    request.set_reason(reason);
    for (v1::ReturnLine& line : lines) *request.add_lines() = std::move(line);
    return orchestrator_->returns().Request(request);
  }

  // Received at SH-01: as asked when `lines` is empty, else as they say.
  absl::StatusOr<v1::ReturnRecord> ReceiveReturn(const std::string& return_id,
                                                 std::vector<v1::ReturnLine> lines = {}) {
    v1::ReceiveReturnRequest receive;
    receive.set_return_id(return_id);
    receive.set_warehouse_id("SH-01");
    for (v1::ReturnLine& line : lines) *receive.add_lines() = std::move(line);
    return orchestrator_->returns().Receive(receive);
  }

  absl::StatusOr<v1::ReturnRecord> RefundReturn(const std::string& return_id) {
    v1::RefundReturnRequest refund;
    refund.set_return_id(return_id);
    return orchestrator_->returns().Refund(refund);
  }

  // The sample order (2 tea, 1 cup, COD) delivered, and the return of both teas asked for.
  v1::ReturnRecord RequestTeas(const std::string& reference) {
    absl::StatusOr<v1::ReturnRecord> requested =
        AskReturn(Delivered(order::SampleCreateOrder(reference)), {Line("TEA-LONGJING-250G", 2)},
                  "changed my mind");
    EXPECT_TRUE(requested.ok()) << requested.status();
    return *requested;
  }

  // The sample order on credit terms (invoiced, paid later), delivered.
  std::string DeliveredOnInvoice(const std::string& reference) {
    order::v1::CreateOrderRequest invoiced = order::SampleCreateOrder(reference);
    invoiced.set_payment_method(order::v1::CREDIT_TERMS);
    return Delivered(invoiced);
  }
};

TEST_F(ReturnsTest, ReturnIsRestockedAndRefunded) {
  std::string order_id = Delivered(order::SampleCreateOrder("WEB-1"));
  ASSERT_EQ(Order(order_id).status(), order::v1::COMPLETED);
  int64_t on_hand = StockOf("TEA-LONGJING-250G").on_hand();

  absl::StatusOr<v1::ReturnRecord> requested =
      AskReturn(order_id, {Line("TEA-LONGJING-250G", 2)}, "wrong flavour");
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_EQ(Order(order_id).status(), order::v1::RETURN_REQUESTED);
  EXPECT_EQ(AskReturn(order_id, {Line("TEA-LONGJING-250G", 9)}, "wrong flavour").status().code(),
            absl::StatusCode::kInvalidArgument);

  ASSERT_TRUE(ReceiveReturn(requested->return_id()).ok());
  EXPECT_EQ(Order(order_id).status(), order::v1::RETURNED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), on_hand + 2);  // restocked (RETURN)

  absl::StatusOr<v1::ReturnRecord> refunded = RefundReturn(requested->return_id());
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  // What the two teas were paid: 256.00 less their share of the 10.00 discount, plus their
  // share of the tax (return_refund_test works it out); not their list price.
  EXPECT_EQ(refunded->refund().minor_units(), 24751 + 3218);
  EXPECT_EQ(refunded->refund_tax().minor_units(), 3218);
  order::v1::Order order = Order(order_id);
  EXPECT_EQ(order.status(), order::v1::REFUNDED);
  // The cup and the shipping are still paid for.
  EXPECT_EQ(order.payment().status(), order::v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(order.payment().refunded().minor_units(), 24751 + 3218);
  EXPECT_TRUE(RefundReturn(requested->return_id()).ok());  // twice is harmless
  EXPECT_EQ(Order(order_id).payment().refunds_size(), 1);
}

TEST_F(ReturnsTest, ReceivingRefusesWhatTheOrderNeverHadAndMovesNoStock) {
  v1::ReturnRecord requested = RequestTeas("WEB-R1");
  int64_t tea = StockOf("TEA-LONGJING-250G").on_hand();
  absl::Status refused = ReceiveReturn(requested.return_id(),
                                       {Line("TEA-LONGJING-250G", 1),
                                        Line("TEA-LONGJING-250G", -5),  // would take stock away
                                        Line("NOT-SOLD", 1)})  // would make stock out of nothing
                             .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("lines[1].quantity"), absl::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("lines[2].sku: NOT-SOLD is not on order"),
            absl::string_view::npos)
      << refused;
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), tea);
  EXPECT_EQ(Order(requested.order_id()).status(), order::v1::RETURN_REQUESTED);

  // The order had 2.
  EXPECT_EQ(ReceiveReturn(requested.return_id(), {Line("TEA-LONGJING-250G", 3)}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), tea);
}

TEST_F(ReturnsTest, TwoGoodLinesOfOneSkuAreBothRestockedAndRefundedAsReceived) {
  v1::ReturnRecord requested = RequestTeas("WEB-R2");
  int64_t tea = StockOf("TEA-LONGJING-250G").on_hand();
  int64_t cup = StockOf("CUP-CELADON").on_hand();
  absl::StatusOr<v1::ReturnRecord> received =
      ReceiveReturn(requested.return_id(),
                    {Line("TEA-LONGJING-250G", 1), Line("TEA-LONGJING-250G", 1),
                     Line("CUP-CELADON", 1, /*damaged=*/true)});  // sent back, not asked for
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), tea + 2);
  EXPECT_EQ(StockOf("CUP-CELADON").on_hand(), cup);  // damaged: not restocked

  absl::StatusOr<v1::ReturnRecord> refunded = RefundReturn(requested.return_id());
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  // Everything came back: what was paid, less the 8.00 shipping.
  EXPECT_EQ(refunded->refund().minor_units(), 33740 - 800);
  EXPECT_EQ(refunded->refund_tax().minor_units(), 3790);
  const order::v1::Payment payment = Order(requested.order_id()).payment();
  EXPECT_EQ(payment.amount().minor_units(), 33740);  // what was paid
  EXPECT_EQ(payment.refunded().minor_units(), 33740 - 800);
  EXPECT_EQ(payment.status(), order::v1::Payment::PARTIALLY_REFUNDED);  // the shipping
}

// A goodwill refund of 20.00 for a late parcel, then the teas come back: their refund is
// owed in full. The payment used to allow one refund, so the return could never be refunded
// ("payment is REFUNDED, not PAID").
TEST_F(ReturnsTest, AGoodwillRefundLeavesTheRestForTheReturn) {
  v1::ReturnRecord requested = RequestTeas("WEB-R6");
  RefundPart(requested.order_id(), 2000, "goodwill");
  ASSERT_TRUE(ReceiveReturn(requested.return_id()).ok());
  absl::StatusOr<v1::ReturnRecord> refunded = RefundReturn(requested.return_id());
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(refunded->refund().minor_units(), 24751 + 3218);
  const order::v1::Payment payment = Order(requested.order_id()).payment();
  EXPECT_EQ(payment.status(), order::v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(payment.refunded().minor_units(), 2000 + 24751 + 3218);
  ASSERT_EQ(payment.refunds_size(), 2);
  EXPECT_EQ(payment.refunds(1).reference(), requested.return_id());
}

// Refunds never add up to more than was paid: after 300.00 of goodwill, a full return gets
// the 37.40 that is left, not the 329.40 its goods are worth.
TEST_F(ReturnsTest, AReturnNeverRefundsMoreThanIsLeft) {
  std::string order_id = Delivered(order::SampleCreateOrder("WEB-R7"));
  RefundPart(order_id, 30000, "goodwill");
  absl::StatusOr<v1::ReturnRecord> requested =
      AskReturn(order_id, {Line("TEA-LONGJING-250G", 2), Line("CUP-CELADON", 1)}, "all of it");
  ASSERT_TRUE(requested.ok()) << requested.status();
  ASSERT_TRUE(ReceiveReturn(requested->return_id()).ok());
  absl::StatusOr<v1::ReturnRecord> refunded = RefundReturn(requested->return_id());
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(refunded->refund().minor_units(), 3740);
  // The tax in it is its share of the 37.90 tax the goods carried: 37.90 x 37.40 / 329.40.
  EXPECT_EQ(refunded->refund_tax().minor_units(), 430);
  const order::v1::Payment payment = Order(order_id).payment();
  EXPECT_EQ(payment.status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(payment.refunded().minor_units(), 33740);
}

// An invoiced order is delivered, then returned before its invoice is paid. The payment
// that comes in afterwards completes the workflow, but must not take the order's status back
// from the return to COMPLETED ("return declined").
TEST_F(ReturnsTest, APaymentAfterTheReturnLeavesTheReturnAlone) {
  std::string order_id = DeliveredOnInvoice("ERP-R4");
  ASSERT_EQ(Order(order_id).status(), order::v1::DELIVERED);  // waits for payment

  absl::StatusOr<v1::ReturnRecord> requested =
      AskReturn(order_id, {Line("CUP-CELADON", 1)}, "wrong colour");
  ASSERT_TRUE(requested.ok()) << requested.status();
  Pay(order_id);  // the invoice settled in full after all
  Pump();
  EXPECT_EQ(Order(order_id).status(), order::v1::RETURN_REQUESTED);
  EXPECT_EQ(Workflow(order_id).stage(), v1::COMPLETED);
  EXPECT_TRUE(Tickets(order_id).empty());

  ASSERT_TRUE(ReceiveReturn(requested->return_id()).ok());
  absl::StatusOr<v1::ReturnRecord> refunded = RefundReturn(requested->return_id());
  ASSERT_TRUE(refunded.ok()) << refunded.status();
  EXPECT_EQ(Order(order_id).status(), order::v1::REFUNDED);
  Pump();
  EXPECT_EQ(Order(order_id).status(), order::v1::REFUNDED);
}

TEST_F(ReturnsTest, AnUnpaidOrderHasNothingToRefund) {
  std::string order_id = DeliveredOnInvoice("ERP-R5");
  absl::StatusOr<v1::ReturnRecord> requested =
      AskReturn(order_id, {Line("TEA-LONGJING-250G", 2)}, "not needed");
  ASSERT_TRUE(requested.ok()) << requested.status();
  ASSERT_TRUE(ReceiveReturn(requested->return_id()).ok());
  absl::Status refused = RefundReturn(requested->return_id()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("was never paid (CREDIT_TERMS)"), absl::string_view::npos)
      << refused;
}

TEST_F(ReturnsTest, ARequestNamesEveryBadField) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-R3"), "k3");
  order::v1::OrderStatus before = Order(placed.order_id()).status();
  // 4 teas of 2, over two lines, and no reason.
  absl::Status refused =
      AskReturn(placed.order_id(), {Line("TEA-LONGJING-250G", 2), Line("TEA-LONGJING-250G", 2)}, "")
          .status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("reason"), absl::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("TEA-LONGJING-250G x4 is more than the order has (2)"),
            absl::string_view::npos)
      << refused;
  EXPECT_EQ(Order(placed.order_id()).status(), before);

  // Well formed, but the goods have not reached the customer: cancel instead.
  refused = AskReturn(placed.order_id(), {Line("TEA-LONGJING-250G", 2)}, "ordered twice").status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("once its goods are delivered"), absl::string_view::npos)
      << refused;
  EXPECT_EQ(Order(placed.order_id()).status(), before);
}

}  // namespace
}  // namespace oms::orchestrator
