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
  EXPECT_EQ(refunded->refund().minor_units(), 2 * 12800);
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.status(), order::v1::REFUNDED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_TRUE(orchestrator_->returns().Refund(refund).ok());  // twice is harmless
}

}  // namespace
}  // namespace oms::orchestrator
