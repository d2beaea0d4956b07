// Cancel, hold, release and amend as workflow commands, against real in-process services:
// each scenario of issue 15's list of lifecycle failures, plus the refusals users rely on.
#include "absl/strings/match.h"
#include "google/protobuf/util/time_util.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"
#include "platform/proto_rows.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::TimeUtil;

class LifecycleCommandsTest : public testing::OrchestratorFixture {
 protected:
  // An order of 2 teas (COD) with its label made, waiting for pickup.
  v1::PlaceOrderResponse Labelled(const std::string& reference = "WEB-1") {
    order::v1::CreateOrderRequest request = order::SampleCreateOrder(reference);
    request.mutable_lines()->DeleteSubrange(1, 1);  // tea only
    v1::PlaceOrderResponse placed = Place(request, "k-" + reference);
    EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
    return placed;
  }

  std::vector<logistics::v1::Shipment> LiveShipments(const std::string& order_id) {
    std::vector<logistics::v1::Shipment> live;
    for (const auto& s : Shipments(order_id)) {
      if (s.state() != logistics::v1::CANCELLED) live.push_back(s);
    }
    return live;
  }

  bool HistoryHas(const std::string& order_id, order::v1::OrderStatus to,
                  const std::string& actor) {
    order::v1::GetOrderHistoryResponse history = History(order_id);
    for (const order::v1::StatusChange& c : history.changes()) {
      if (c.to_status() == to && c.actor() == actor) return true;
    }
    return false;
  }
};

// Issue 15, 1: an order with stock could never be cancelled (SHIPPED at label creation).
TEST_F(LifecycleCommandsTest, AnOrderWithALabelIsCancelledBeforePickup) {
  v1::PlaceOrderResponse placed = Labelled();
  EXPECT_EQ(placed.status(), order::v1::ALLOCATED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);
  absl::StatusOr<v1::Workflow> cancelled = Cancel(placed.order_id(), "cs:wang", "changed mind");
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->stage(), v1::CANCELLED);
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_TRUE(LiveShipments(placed.order_id()).empty());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").available(), 20);
  EXPECT_TRUE(HistoryHas(placed.order_id(), order::v1::CANCELLED, "cs:wang"));
  // Again: no second effect, same answer.
  EXPECT_EQ(Cancel(placed.order_id())->stage(), v1::CANCELLED);
  EXPECT_TRUE(InventoryClean());
}

TEST_F(LifecycleCommandsTest, AfterPickupCancelIsRefusedWithAPointerToReturns) {
  v1::PlaceOrderResponse placed = Labelled();
  Track(Shipments(placed.order_id())[0], logistics::v1::TrackingEvent::PICKED_UP, "p1");
  Pump();
  ASSERT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
  absl::Status refused = Cancel(placed.order_id()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.message(), "RequestReturn")) << refused;
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
}

// A pickup the orchestrator has not heard of yet: the cancel finds it when cancelling the
// label, stops, and leaves a ticket for a return.
TEST_F(LifecycleCommandsTest, APickupRacingTheCancelMakesItTooLateWithATicket) {
  v1::PlaceOrderResponse placed = Labelled();
  Track(Shipments(placed.order_id())[0], logistics::v1::TrackingEvent::PICKED_UP, "p1");
  // No Pump: the orchestrator still thinks the label waits for pickup.
  absl::Status refused = Cancel(placed.order_id()).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::IN_TRANSIT);
  std::vector<v1::ExceptionTicket> tickets = Tickets(placed.order_id());
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type(), v1::LATE_CHANGE);
  Pump();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").on_hand(), 18);  // left with the carrier
}

// Issue 15, 2: REFUND marked the payment refunded while the parcel still went out.
TEST_F(LifecycleCommandsTest, RefundBeforePickupStopsTheGoods) {
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-1");
  prepaid.set_payment_method(order::v1::PREPAID);
  v1::PlaceOrderResponse placed = Place(prepaid, "k1");
  Pay(placed.order_id());
  Pump();
  ASSERT_EQ(Workflow(placed.order_id()).stage(), v1::AWAITING_PICKUP);
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(placed.order_id());
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("wants the money back");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
  ASSERT_TRUE(ticket.ok());
  ASSERT_TRUE(Resolve(ticket->ticket_id(), v1::REFUND).ok());
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_TRUE(LiveShipments(placed.order_id()).empty());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

// Issue 15, 3: a cancelled backordered order kept its reservation and queue place, and the
// next receipt allocated to it.
TEST_F(LifecycleCommandsTest, CancellingABackorderedOrderLeavesNothingBehind) {
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);  // 20 in stock
  v1::PlaceOrderResponse placed = Place(big, "k1");
  ASSERT_EQ(placed.stage(), v1::BACKORDERED);
  ASSERT_TRUE(Cancel(placed.order_id()).ok());
  EXPECT_TRUE(Reservations(placed.order_id()).empty());
  EXPECT_TRUE(Backorders(placed.order_id()).empty());
  inventory::v1::AdjustStockResponse receipt = Receive("TEA-LONGJING-250G", 10);
  EXPECT_EQ(receipt.backorders_allocated_size(), 0);
  Pump();
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::CANCELLED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
  EXPECT_TRUE(InventoryClean());
}

// Issue 15, 4: PlaceOrder's SHIP_COMPLETE was ignored.
TEST_F(LifecycleCommandsTest, ShipCompleteReservesNothingUntilEverythingCan) {
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);  // 20 in stock
  v1::PlaceOrderRequest request;
  request.set_idempotency_key("k1");
  *request.mutable_order() = big;
  request.set_policy(inventory::v1::SHIP_COMPLETE);
  absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(request);
  ASSERT_TRUE(placed.ok()) << placed.status();
  EXPECT_EQ(placed->stage(), v1::BACKORDERED);
  EXPECT_TRUE(Order(placed->order_id()).ship_complete());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);  // all or nothing
  Receive("TEA-LONGJING-250G", 5);
  Pump();
  EXPECT_EQ(Workflow(placed->order_id()).stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 25);
}

// Issue 15, 5: an address corrected in review (straight in order_svc) was not used.
TEST_F(LifecycleCommandsTest, AnAddressCorrectedDuringReviewIsWhereItShips) {
  StockNorth("TEA-LONGJING-250G", 10);
  v1::ReviewRule big;
  big.set_rule_id("big");
  big.set_kind(v1::ReviewRule::AMOUNT_ABOVE);
  big.mutable_limit()->set_currency_code("CNY");
  big.mutable_limit()->set_minor_units(100);
  big.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(big);
  order::v1::CreateOrderRequest request = order::SampleCreateOrder("WEB-1");
  request.mutable_lines()->DeleteSubrange(1, 1);
  v1::PlaceOrderResponse placed = Place(request, "k1");
  ASSERT_EQ(placed.stage(), v1::PENDING_REVIEW);
  grpc::ClientContext context;
  order::v1::UpdateOrderRequest update;
  update.set_order_id(placed.order_id());
  update.set_actor("cs:wang");
  order::v1::Address* address = update.mutable_shipping_address();
  address->set_country_code("CN");
  address->set_region("North");
  address->set_city("北京");
  address->set_postal_code("100000");
  address->set_street("长安街 1 号");
  order::v1::Order updated;
  ASSERT_TRUE(order_stub_->UpdateOrder(&context, update, &updated).ok());
  // Approved before the orchestrator saw OrderUpdated: allocation reads the order anyway.
  v1::ReviewOrderRequest approve;
  approve.set_order_id(placed.order_id());
  approve.set_reviewer("reviewer:chen");
  approve.set_note("known customer");
  ASSERT_TRUE(orchestrator_->review_desk().Approve(approve).ok());
  std::vector<logistics::v1::Shipment> shipments = LiveShipments(placed.order_id());
  ASSERT_EQ(shipments.size(), 1u);
  EXPECT_EQ(shipments[0].destination_region(), "North");
  EXPECT_EQ(shipments[0].warehouse_id(), "BJ-01");  // the region's own warehouse
  EXPECT_EQ(shipments[0].ship_to().street(), "长安街 1 号");
  // Issue 15, 9: the reviewer and their note are in the order's history.
  bool named = false;
  order::v1::GetOrderHistoryResponse history = History(placed.order_id());
  for (const order::v1::StatusChange& c : history.changes()) {
    if (c.to_status() == order::v1::APPROVED) {
      named = c.actor() == "reviewer:chen" && absl::StrContains(c.reason(), "known customer");
    }
  }
  EXPECT_TRUE(named);
}

// Issue 15, 8: no correction after allocation.
TEST_F(LifecycleCommandsTest, AmendingTheAddressAfterTheLabelMakesANewOneForTheNewRegion) {
  StockNorth("TEA-LONGJING-250G", 10);
  v1::PlaceOrderResponse placed = Labelled();
  std::vector<logistics::v1::Shipment> before = LiveShipments(placed.order_id());
  ASSERT_EQ(before.size(), 1u);
  absl::StatusOr<v1::Workflow> amended = MoveTo(placed.order_id(), "North");
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->stage(), v1::AWAITING_PICKUP);
  std::vector<logistics::v1::Shipment> after = LiveShipments(placed.order_id());
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0].shipment_id(), before[0].shipment_id());
  EXPECT_EQ(after[0].destination_region(), "North");
  EXPECT_EQ(after[0].warehouse_id(), "BJ-01");
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);
  std::vector<inventory::v1::Reservation> held = Reservations(placed.order_id());
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].warehouse_id(), "BJ-01");
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ALLOCATED);
  grpc::ClientContext context;
  order::v1::GetModificationHistoryRequest get;
  get.set_order_id(placed.order_id());
  order::v1::GetModificationHistoryResponse modifications;
  ASSERT_TRUE(order_stub_->GetModificationHistory(&context, get, &modifications).ok());
  ASSERT_EQ(modifications.modifications_size(), 1);
  EXPECT_EQ(modifications.modifications(0).actor(), "cs:wang");
  EXPECT_TRUE(InventoryClean());
}

TEST_F(LifecycleCommandsTest, AmendingLinesAfterAllocationChangesTheReservation) {
  v1::PlaceOrderResponse placed = Labelled();
  v1::AmendOrderRequest amend;
  amend.set_idempotency_key("a1");
  amend.set_order_id(placed.order_id());
  amend.set_actor("cs:wang");
  amend.set_reason("one more");
  order::v1::OrderLine* line = amend.mutable_lines()->add_lines();
  line->set_sku("TEA-LONGJING-250G");
  line->set_quantity(3);
  line->mutable_unit_price()->set_currency_code("CNY");
  line->mutable_unit_price()->set_minor_units(12800);
  absl::StatusOr<v1::Workflow> amended = orchestrator_->commands().Amend(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 3);
  std::vector<logistics::v1::Shipment> live = LiveShipments(placed.order_id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].lines(0).quantity(), 3);
  // The same request again: nothing more.
  ASSERT_TRUE(orchestrator_->commands().Amend(amend).ok());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 3);
  EXPECT_EQ(LiveShipments(placed.order_id()).size(), 1u);
}

TEST_F(LifecycleCommandsTest, AmendmentsAreCheckedByOrderSvcAndRefusedAfterPickup) {
  v1::PlaceOrderResponse placed = Labelled();
  v1::AmendOrderRequest bad;
  bad.set_order_id(placed.order_id());
  bad.set_actor("cs:wang");
  bad.set_reason("typo");
  bad.set_customer_phone("not a phone");
  EXPECT_EQ(orchestrator_->commands().Amend(bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::AmendOrderRequest nothing;
  nothing.set_order_id(placed.order_id());
  nothing.set_reason("nothing");
  EXPECT_EQ(orchestrator_->commands().Amend(nothing).status().code(),
            absl::StatusCode::kInvalidArgument);
  Track(Shipments(placed.order_id())[0], logistics::v1::TrackingEvent::PICKED_UP, "p1");
  Pump();
  EXPECT_EQ(MoveTo(placed.order_id(), "North").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(LifecycleCommandsTest, HoldStopsTheWorkflowAndReleaseResumesIt) {
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);
  v1::PlaceOrderResponse placed = Place(big, "k1");
  ASSERT_EQ(placed.stage(), v1::BACKORDERED);
  absl::StatusOr<v1::Workflow> held = Hold(placed.order_id());
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->stage(), v1::ON_HOLD);
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ON_HOLD);
  EXPECT_TRUE(HistoryHas(placed.order_id(), order::v1::ON_HOLD, "ops:li"));
  EXPECT_TRUE(Hold(placed.order_id()).ok());  // held already: fine
  Receive("TEA-LONGJING-250G", 10);  // the backorder is filled while held
  Pump();
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::ON_HOLD);
  EXPECT_TRUE(Shipments(placed.order_id()).empty());  // nothing moves while held
  absl::StatusOr<v1::Workflow> released = ReleaseHold(placed.order_id());
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ALLOCATED);
  EXPECT_EQ(ReleaseHold(placed.order_id()).status().code(),
            absl::StatusCode::kFailedPrecondition);  // not held any more
}

TEST_F(LifecycleCommandsTest, AHeldOrderCanBeCancelled) {
  v1::PlaceOrderResponse placed = Labelled();
  ASSERT_TRUE(Hold(placed.order_id()).ok());
  absl::StatusOr<v1::Workflow> cancelled = Cancel(placed.order_id());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_TRUE(LiveShipments(placed.order_id()).empty());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

// A direct order_svc.CancelOrder on a workflow order is refused with a pointer; a direct
// TransitionOrder to CANCELLED is followed by the same compensation.
TEST_F(LifecycleCommandsTest, CancelsThatBypassTheOrchestratorAreRefusedOrCompensated) {
  v1::PlaceOrderResponse placed = Labelled();
  grpc::ClientContext context;
  order::v1::CancelOrderRequest direct;
  direct.set_order_id(placed.order_id());
  direct.set_reason("customer request");
  order::v1::Order answer;
  grpc::Status refused = order_stub_->CancelOrder(&context, direct, &answer);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "OrchestratorService/CancelOrder"));

  grpc::ClientContext transition_context;
  order::v1::TransitionOrderRequest transition;
  transition.set_order_id(placed.order_id());
  transition.set_to_status(order::v1::CANCELLED);
  transition.set_actor("ops:script");
  transition.set_reason("bulk clean-up");
  ASSERT_TRUE(order_stub_->TransitionOrder(&transition_context, transition, &answer).ok());
  Pump();
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::CANCELLED);
  EXPECT_TRUE(LiveShipments(placed.order_id()).empty());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

// Issue 15, 9: an unknown sku was accepted and then parked for good.
TEST_F(LifecycleCommandsTest, IntakeRefusesLinesTheCatalogueDoesNotSell) {
  order::v1::CreateOrderRequest request = order::SampleCreateOrder("WEB-1");
  request.mutable_lines(1)->set_sku("NO-SUCH-SKU");
  v1::PlaceOrderRequest place;
  place.set_idempotency_key("k1");
  *place.mutable_order() = request;
  absl::Status refused = orchestrator_->intake().PlaceOrder(place).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(refused.message(), "lines[1].sku")) << refused;
  grpc::ClientContext context;
  order::v1::ListOrdersResponse orders;
  ASSERT_TRUE(order_stub_->ListOrders(&context, order::v1::ListOrdersRequest(), &orders).ok());
  EXPECT_EQ(orders.orders_size(), 0);  // nothing recorded
}

TEST_F(LifecycleCommandsTest, PaymentRiskRuleSendsCodAboveAnAmountToReview) {
  v1::ReviewRule cod;
  cod.set_rule_id("cod-big");
  cod.set_kind(v1::ReviewRule::PAYMENT_RISK);
  cod.add_payment_methods(order::v1::COD);
  cod.mutable_limit()->set_currency_code("CNY");
  cod.mutable_limit()->set_minor_units(20000);
  cod.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(cod);
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");  // COD 337.40
  EXPECT_EQ(placed.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(placed.review().rule_id(), "cod-big");
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-2");
  prepaid.set_payment_method(order::v1::PREPAID);
  EXPECT_EQ(Place(prepaid, "k2").stage(), v1::AWAITING_PAYMENT);
}

TEST_F(LifecycleCommandsTest, UrgencyAndDeliveryDateChooseTheCarrierAndTheReview) {
  order::v1::CreateOrderRequest urgent = order::SampleCreateOrder("WEB-1");
  urgent.mutable_customer()->mutable_shipping_address()->set_region("East");
  urgent.set_urgency(order::v1::URGENT);
  v1::PlaceOrderResponse placed = Place(urgent, "k1");
  std::vector<logistics::v1::Shipment> shipments = LiveShipments(placed.order_id());
  ASSERT_EQ(shipments.size(), 1u);
  EXPECT_EQ(shipments[0].service_level(), logistics::v1::EXPRESS);

  v1::ReviewRule date;
  date.set_rule_id("date");
  date.set_kind(v1::ReviewRule::DELIVERY_DATE_UNREACHABLE);
  date.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(date);
  order::v1::CreateOrderRequest tomorrow_noon = order::SampleCreateOrder("WEB-2");
  *tomorrow_noon.mutable_requested_delivery_date() = ToProtoTime(clock_.Now() + absl::Hours(2));
  v1::PlaceOrderResponse rushed = Place(tomorrow_noon, "k2");
  EXPECT_EQ(rushed.stage(), v1::PENDING_REVIEW);
  EXPECT_TRUE(absl::StrContains(rushed.review().reason(), "requested date"));
  order::v1::CreateOrderRequest next_week = order::SampleCreateOrder("WEB-3");
  *next_week.mutable_requested_delivery_date() = ToProtoTime(clock_.Now() + absl::Hours(24 * 7));
  EXPECT_EQ(Place(next_week, "k3").stage(), v1::AWAITING_PICKUP);
}

TEST_F(LifecycleCommandsTest, TicketsWithoutARuleFollowTheDefaultRule) {
  v1::PlaceOrderResponse placed = Labelled();
  v1::OpenExceptionRequest complaint;
  complaint.set_order_id(placed.order_id());
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("box dented");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket->assignee(), "support");
  EXPECT_EQ(ticket->group(), "support");
  clock_.Advance(absl::Hours(25));
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 1);
  v1::GetExceptionRequest get;
  get.set_ticket_id(ticket->ticket_id());
  EXPECT_EQ(orchestrator_->tickets().Get(get)->assignee(), "ops");
  absl::StatusOr<v1::ListExceptionRulesResponse> rules = orchestrator_->tickets().ListRules();
  ASSERT_TRUE(rules.ok());
  ASSERT_GE(rules->rules_size(), 1);
  EXPECT_EQ(rules->rules(0).type(), v1::EXCEPTION_TYPE_UNSPECIFIED);  // the default, shown
}

TEST_F(LifecycleCommandsTest, AStoppedWorkflowIsFixedByAmendmentAndRetry) {
  Stock("ANVIL-100KG", 5, /*weight_g=*/100000);  // heavier than any carrier takes
  order::v1::CreateOrderRequest heavy = order::SampleCreateOrder("WEB-1");
  heavy.clear_lines();
  order::v1::OrderLine* line = heavy.add_lines();
  line->set_sku("ANVIL-100KG");
  line->set_quantity(1);
  line->mutable_unit_price()->set_currency_code("CNY");
  line->mutable_unit_price()->set_minor_units(99900);
  v1::PlaceOrderResponse placed = Place(heavy, "k1");
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

}  // namespace
}  // namespace oms::orchestrator
