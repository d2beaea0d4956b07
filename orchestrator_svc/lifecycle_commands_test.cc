// Cancel, hold, release and amend as workflow commands, against real in-process services:
// each scenario of issue 15's list of lifecycle failures, plus the refusals users rely on.
#include "absl/strings/match.h"
#include "google/protobuf/util/time_util.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"
#include "platform/security/call_info.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::TimeUtil;

class LifecycleCommandsTest : public testing::OrchestratorFixture {};

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
  *update.mutable_shipping_address() = order::AddressIn("North", "长安街 1 号");
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

// A paid order amended before pickup: fewer teas refund the difference, with the reservation
// and label following; more teas are refused and change nothing (nothing would collect the
// difference). Before, the customer stayed charged the old total, or got more for nothing.
TEST_F(LifecycleCommandsTest, APaidOrderAmendedIsRefundedTheDifferenceButNotMadeDearer) {
  order::v1::CreateOrderRequest tea = order::SampleCreateOrder("WEB-A9");
  tea.mutable_lines()->DeleteSubrange(1, 1);  // tea only
  const std::string order_id = PlacedAndPaid(tea);
  ASSERT_EQ(Workflow(order_id).stage(), v1::AWAITING_PICKUP);
  const int64_t paid = Order(order_id).total().minor_units();

  absl::Status dearer =
      orchestrator_->commands().Amend(TeaAmendment(order_id, 3, "a9-more")).status();
  EXPECT_EQ(dearer.code(), absl::StatusCode::kFailedPrecondition) << dearer;
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);

  ASSERT_TRUE(orchestrator_->commands().Amend(TeaAmendment(order_id, 1, "a9-less")).ok());
  Pump();
  order::v1::Order order = Order(order_id);
  EXPECT_EQ(order.payment().status(), order::v1::Payment::PARTIALLY_REFUNDED);
  EXPECT_EQ(order.payment().refunded().minor_units(), paid - order.total().minor_units());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 1);
  EXPECT_EQ(Workflow(order_id).stage(), v1::AWAITING_PICKUP);
  EXPECT_TRUE(Workflow(order_id).paid());
}

// A command without an actor names the caller's key, not "system": the hold, the amendment
// and the cancel in the order's history, and the amendment's refund on its payment.
TEST_F(LifecycleCommandsTest, ACommandWithoutAnActorNamesTheCaller) {
  const std::string order_id = PlacedAndPaid(order::SampleCreateOrder("WEB-A10"));
  auth::CallInfo call;
  call.principal = {"cs-desk-7", {security::v1::CUSTOMER_SERVICE}, ""};
  auth::CallScope scope(&call);
  v1::HoldOrderRequest hold;
  hold.set_order_id(order_id);
  hold.set_reason("address check");
  ASSERT_TRUE(orchestrator_->commands().Hold(hold).ok());
  EXPECT_TRUE(HistoryHas(order_id, order::v1::ON_HOLD, "cs-desk-7"));
  v1::ReleaseHoldRequest release;
  release.set_order_id(order_id);
  ASSERT_TRUE(orchestrator_->commands().Release(release).ok());
  v1::AmendOrderRequest fewer = TeaAmendment(order_id, 1, "a10-less");
  fewer.clear_actor();
  ASSERT_TRUE(orchestrator_->commands().Amend(fewer).ok());
  order::v1::Order amended = Order(order_id);
  ASSERT_EQ(amended.payment().refunds_size(), 1);
  EXPECT_EQ(amended.payment().refunds(0).actor(), "cs-desk-7");
  v1::CancelOrderRequest cancel;
  cancel.set_order_id(order_id);
  cancel.set_reason("changed their mind");
  ASSERT_TRUE(orchestrator_->commands().Cancel(cancel).ok());
  EXPECT_TRUE(HistoryHas(order_id, order::v1::CANCELLED, "cs-desk-7"));
}

TEST_F(LifecycleCommandsTest, AmendingLinesAfterAllocationChangesTheReservation) {
  v1::PlaceOrderResponse placed = Labelled();
  v1::AmendOrderRequest amend = TeaAmendment(placed.order_id(), 3, "a1");
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
  EXPECT_EQ(held->hold().actor(), "ops:li");
  EXPECT_EQ(held->hold().reason(), "address check");
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ON_HOLD);
  EXPECT_TRUE(HistoryHas(placed.order_id(), order::v1::ON_HOLD, "ops:li"));
  EXPECT_TRUE(Hold(placed.order_id()).ok());  // held already: fine
  Receive("TEA-LONGJING-250G", 10);           // the backorder is filled while held
  Pump();
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::ON_HOLD);
  EXPECT_TRUE(Shipments(placed.order_id()).empty());  // nothing moves while held
  absl::StatusOr<v1::Workflow> released = ReleaseHold(placed.order_id());
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->stage(), v1::AWAITING_PICKUP);
  EXPECT_FALSE(released->has_hold());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ALLOCATED);
  EXPECT_EQ(ReleaseHold(placed.order_id()).status().code(),
            absl::StatusCode::kFailedPrecondition);  // not held any more
}

TEST_F(LifecycleCommandsTest, AHeldOrderCanBeCancelled) {
  v1::PlaceOrderResponse placed = Labelled();
  ASSERT_TRUE(Hold(placed.order_id()).ok());
  absl::StatusOr<v1::Workflow> cancelled = Cancel(placed.order_id());
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_FALSE(cancelled->has_hold());
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_TRUE(LiveShipments(placed.order_id()).empty());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(LifecycleCommandsTest, APickupWhileHeldIsTicketedAndReleaseFollowsTheParcel) {
  v1::PlaceOrderResponse placed = Labelled();
  ASSERT_TRUE(Hold(placed.order_id()).ok());
  // Labels stay valid while held: the warehouse can still hand the parcel over.
  Track(Shipments(placed.order_id())[0], logistics::v1::TrackingEvent::PICKED_UP, "p1");
  Pump();
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::ON_HOLD);
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::ON_HOLD);
  std::vector<v1::ExceptionTicket> tickets = Tickets(placed.order_id());
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type(), v1::LATE_CHANGE);
  EXPECT_TRUE(absl::StrContains(tickets[0].description(), "address check"))
      << tickets[0].description();
  absl::StatusOr<v1::Workflow> released = ReleaseHold(placed.order_id());
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->stage(), v1::IN_TRANSIT);
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::SHIPPED);
  EXPECT_EQ(Tickets(placed.order_id()).size(), 1u);
}

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

}  // namespace
}  // namespace oms::orchestrator
