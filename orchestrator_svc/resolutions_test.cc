// Resolving tickets: each resolution carried out across the services.
// Against real in-process services (testing/orchestrator_fixture.h).
#include "absl/strings/match.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"
#include "platform/security/call_info.h"

namespace oms::orchestrator {
namespace {

class ResolutionsTest : public testing::OrchestratorFixture {};

TEST_F(ResolutionsTest, LostParcelOpensOneTicketResolvedByReshipThenCompletes) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
  Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, "e1");
  Pump();
  clock_.Advance(absl::Hours(80));  // silence: lost
  ASSERT_TRUE(logistics_service_->tracking().RunDetection().ok());
  ASSERT_TRUE(logistics_service_->tracking().RunDetection().ok());
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

TEST_F(ResolutionsTest, ComplaintTicketCancelOrderReleasesStock) {
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

TEST_F(ResolutionsTest, SubstituteReplacesABackorderedLineAndShips) {
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

TEST_F(ResolutionsTest, RefundResolutionRefundsReleasesAndCancels) {
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-1");
  prepaid.set_payment_method(order::v1::PREPAID);
  prepaid.mutable_lines(0)->set_quantity(25);  // paid, then stuck in backorder
  v1::PlaceOrderResponse placed = Place(prepaid, "k1");
  Pay(placed.order_id());
  Pump();
  ASSERT_EQ(Workflow(placed.order_id()).stage(), v1::BACKORDERED);
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(Complaint(placed.order_id()));
  resolve.set_resolution(v1::REFUND);
  resolve.set_actor("cs:wang");
  ASSERT_TRUE(orchestrator_->resolutions().Resolve(resolve).ok());
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(ResolutionsTest, RefundBeforePickupStopsTheGoods) {
  std::string order_id = PlacedAndPaid(order::SampleCreateOrder("WEB-1"));
  ASSERT_EQ(Workflow(order_id).stage(), v1::AWAITING_PICKUP);
  ASSERT_TRUE(Resolve(Complaint(order_id), v1::REFUND).ok());
  order::v1::Order order = Order(order_id);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_TRUE(LiveShipments(order_id).empty());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

// A complaint about a paid order that already got a goodwill refund of 20.00: the REFUND
// resolution refunds the rest. The payment used to allow one refund, so the goodwill refund
// was all the customer got: before pickup the cancel refunded nothing, after pickup the
// resolution found the payment no longer PAID and did nothing.
class RefundTheRestTest : public ResolutionsTest {};

TEST_F(RefundTheRestTest, BeforePickupTheCancelRefundsWhatIsLeft) {
  std::string order_id = PlacedAndPaid(order::SampleCreateOrder("WEB-G1"));
  ASSERT_EQ(Workflow(order_id).stage(), v1::AWAITING_PICKUP);
  RefundPart(order_id, 2000, "goodwill");
  ASSERT_TRUE(Resolve(Complaint(order_id), v1::REFUND).ok());
  order::v1::Order order = Order(order_id);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.payment().refunded().minor_units(), 33740);
  ASSERT_EQ(order.payment().refunds_size(), 2);
  EXPECT_EQ(order.payment().refunds(1).amount().minor_units(), 33740 - 2000);
}

TEST_F(RefundTheRestTest, AfterPickupTheResolutionRefundsWhatIsLeft) {
  std::string order_id = PlacedAndPaid(order::SampleCreateOrder("WEB-G2"));
  Track(Shipments(order_id)[0], logistics::v1::TrackingEvent::PICKED_UP, "g2-e1");
  Pump();
  RefundPart(order_id, 2000, "goodwill");
  std::string ticket_id = Complaint(order_id);
  ASSERT_TRUE(Resolve(ticket_id, v1::REFUND).ok());
  order::v1::Order order = Order(order_id);
  EXPECT_EQ(order.status(), order::v1::SHIPPED);  // the parcel is on its way
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.payment().amount().minor_units(), 33740);  // what was paid stays
  ASSERT_EQ(order.payment().refunds_size(), 2);
  EXPECT_EQ(order.payment().refunds(1).amount().minor_units(), 33740 - 2000);
  EXPECT_EQ(order.payment().refunds(1).reference(), ticket_id);
}

// Refunded in full while in transit, the parcel arrives anyway: the order completes. The
// workflow took the refunded payment for one never made and waited in DELIVERED for it.
TEST_F(RefundTheRestTest, ARefundedParcelThatArrivesAnywayCompletes) {
  std::string order_id = PlacedAndPaid(order::SampleCreateOrder("WEB-G3"));
  logistics::v1::Shipment shipment = Shipments(order_id)[0];
  Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, "g3-e1");
  Pump();
  ASSERT_TRUE(Resolve(Complaint(order_id), v1::REFUND).ok());
  Pump();
  Track(shipment, logistics::v1::TrackingEvent::DELIVERED, "g3-e2");
  Pump();
  EXPECT_EQ(Workflow(order_id).stage(), v1::COMPLETED);
  order::v1::Order order = Order(order_id);
  EXPECT_EQ(order.status(), order::v1::COMPLETED);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
}

// After pickup a REFUND of an order nobody has paid yet (cash on delivery) refunds nothing:
// it is refused and the ticket stays open, instead of being marked resolved as refunded.
TEST_F(RefundTheRestTest, AnUnpaidOrderIsNotRefunded) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-G4"), "k-g4");  // COD
  Track(Shipments(placed.order_id())[0], logistics::v1::TrackingEvent::PICKED_UP, "g4-e1");
  Pump();
  std::string ticket_id = Complaint(placed.order_id());
  absl::Status refused = Resolve(ticket_id, v1::REFUND).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("nothing to refund"), std::string::npos) << refused;
  v1::GetExceptionRequest get;
  get.set_ticket_id(ticket_id);
  EXPECT_EQ(orchestrator_->tickets().Get(get)->status(), v1::ExceptionTicket::OPEN);
}

TEST_F(ResolutionsTest, AStoppedWorkflowIsFixedByAmendmentAndRetry) {
  v1::PlaceOrderResponse placed = PlaceTooHeavy();
  ASSERT_TRUE(Workflow(placed.order_id()).compensated());
  EXPECT_EQ(StockOf("ANVIL-100KG").reserved(), 0);
  // Lighter anvils arrive: ops fixes the product and retries the stopped step.
  grpc::ClientContext context;
  inventory::v1::UpdateProductRequest update;
  update.mutable_product()->set_sku("ANVIL-100KG");
  update.mutable_product()->set_name("ANVIL-100KG");
  update.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
  update.mutable_product()->set_weight_g(20000);
  inventory::v1::Product product;
  ASSERT_TRUE(inventory_stub_->UpdateProduct(&context, update, &product).ok());
  clock_.Advance(absl::Minutes(2));  // past the product cache
  std::vector<v1::ExceptionTicket> tickets = Tickets(placed.order_id());
  ASSERT_EQ(tickets.size(), 1u);
  ASSERT_TRUE(Resolve(tickets[0].ticket_id(), v1::RETRY).ok());
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(StockOf("ANVIL-100KG").reserved(), 1);
  EXPECT_EQ(LiveShipments(placed.order_id()).size(), 1u);
}

TEST_F(ResolutionsTest, AFreeReshipGrantedAsCompensationSendsTheGoodsAgain) {
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  logistics::v1::Shipment shipment = Shipments(placed.order_id())[0];
  Track(shipment, logistics::v1::TrackingEvent::PICKED_UP, "e1");
  Track(shipment, logistics::v1::TrackingEvent::DELIVERED, "e2");
  Pump();
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(placed.order_id());
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("the cups arrived broken");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  auth::CallInfo call;
  call.principal = {"admin", {security::v1::ADMIN}, ""};
  auth::CallScope scope(&call);
  v1::ProposeCompensationRequest reship;
  reship.set_idempotency_key("free-reship-1");
  reship.set_ticket_id(ticket->ticket_id());
  reship.set_kind(v1::FREE_RESHIP);
  reship.mutable_amount()->set_currency_code("CNY");
  reship.mutable_amount()->set_minor_units(9900);  // what the goods and postage cost
  reship.set_reason("broken in transit");
  absl::StatusOr<v1::Compensation> granted = orchestrator_->satisfaction().Propose(reship);
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(granted->status(), v1::Compensation::GRANTED);
  // Carried out: a replacement of the delivered parcel, its stock reserved.
  std::vector<logistics::v1::Shipment> shipments = Shipments(placed.order_id());
  ASSERT_EQ(shipments.size(), 2u);
  logistics::v1::Shipment replacement =
      shipments[0].reship_of().empty() ? shipments[1] : shipments[0];
  EXPECT_EQ(replacement.reship_of(), shipment.shipment_id());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);
  // Granting is idempotent: the same key sends nothing more.
  ASSERT_TRUE(orchestrator_->satisfaction().Propose(reship).ok());
  EXPECT_EQ(Shipments(placed.order_id()).size(), 2u);
  Track(replacement, logistics::v1::TrackingEvent::PICKED_UP, "r1");
  Track(replacement, logistics::v1::TrackingEvent::DELIVERED, "r2");
  Pump();
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);  // left with the replacement
  // The order was never taken back from COMPLETED; the workflow followed the new parcel.
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::COMPLETED);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::COMPLETED);
}

}  // namespace
}  // namespace oms::orchestrator
