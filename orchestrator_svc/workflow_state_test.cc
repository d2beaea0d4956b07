#include "orchestrator_svc/workflow_state.h"

#include "gtest/gtest.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

v1::WorkflowShipment Parcel(const std::string& id, logistics::v1::ShipmentState state) {
  v1::WorkflowShipment s;
  s.set_shipment_id(id);
  SetState(s, state);
  return s;
}

TEST(WorkflowStateTest, EnteringAWorkStageRunsItAtOnce) {
  v1::Workflow wf;
  wf.set_order_status(order::v1::APPROVED);
  Enter(wf, v1::ALLOCATING, kNow, OrchestratorOptions());
  EXPECT_EQ(wf.stage(), v1::ALLOCATING);
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), kNow);
  EXPECT_EQ(FromProtoTime(wf.stage_deadline()), kNow + OrchestratorOptions().processing_timeout);
}

TEST(WorkflowStateTest, EnteringAWaitingStageSleepsUntilItsDeadlineOnceTheStatusFollows) {
  v1::Workflow wf;
  wf.set_order_status(order::v1::PENDING_REVIEW);
  Enter(wf, v1::PENDING_REVIEW, kNow, OrchestratorOptions());
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), kNow + OrchestratorOptions().review_sla);
  // The order's status must still follow: due now.
  wf.set_order_status(order::v1::RECEIVED);
  Enter(wf, v1::PENDING_REVIEW, kNow, OrchestratorOptions());
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), kNow);
  // Parked stages wait for an event or a person.
  wf.set_order_status(order::v1::ON_HOLD);
  Enter(wf, v1::ON_HOLD, kNow, OrchestratorOptions());
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), Parked());
  EXPECT_FALSE(wf.has_stage_deadline());
}

TEST(WorkflowStateTest, TheHoldNoteLastsWhileHeldWhicheverWayTheHoldEnds) {
  for (v1::Stage after : {v1::AWAITING_PICKUP, v1::CANCELLING, v1::IN_TRANSIT}) {
    v1::Workflow wf;
    *wf.mutable_hold() = MakeNote("ops:li", "address check", kNow);
    Enter(wf, v1::ON_HOLD, kNow, OrchestratorOptions());
    EXPECT_EQ(wf.hold().reason(), "address check");
    Enter(wf, after, kNow, OrchestratorOptions());
    EXPECT_FALSE(wf.has_hold()) << v1::Stage_Name(after);
  }
}

TEST(WorkflowStateTest, RestPastTheDeadlineParks) {
  v1::Workflow wf;
  wf.set_stage(v1::PENDING_REVIEW);
  *wf.mutable_stage_deadline() = ToProtoTime(kNow - absl::Minutes(1));
  Rest(wf, kNow);
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), Parked());
}

TEST(WorkflowStateTest, InTransitIsPartiallyShippedUntilEveryLiveParcelIsPickedUp) {
  v1::Workflow wf;
  wf.set_stage(v1::IN_TRANSIT);
  *wf.add_shipments() = Parcel("a", logistics::v1::PICKED_UP);
  *wf.add_shipments() = Parcel("b", logistics::v1::CREATED);
  *wf.add_shipments() = Parcel("c", logistics::v1::CANCELLED);  // not live: does not count
  EXPECT_EQ(ImpliedStatus(wf), order::v1::PARTIALLY_SHIPPED);
  SetState(*wf.mutable_shipments(1), logistics::v1::IN_TRANSIT);
  EXPECT_EQ(ImpliedStatus(wf), order::v1::SHIPPED);
  wf.set_order_status(order::v1::PARTIALLY_SHIPPED);
  EXPECT_FALSE(StatusFits(wf));
  wf.set_order_status(order::v1::SHIPPED);
  EXPECT_TRUE(StatusFits(wf));
}

TEST(WorkflowStateTest, AllocatingAgainAfterAnAmendmentKeepsTheOrderAllocated) {
  v1::Workflow wf;
  wf.set_stage(v1::ALLOCATING);
  wf.set_order_status(order::v1::ALLOCATED);
  EXPECT_TRUE(StatusFits(wf));
  wf.set_order_status(order::v1::RECEIVED);
  EXPECT_FALSE(StatusFits(wf));
  EXPECT_EQ(ImpliedStatus(wf), order::v1::APPROVED);
}

TEST(WorkflowStateTest, AReturnOwnsTheStatusOnceTheGoodsWereDelivered) {
  v1::Workflow wf;
  for (order::v1::OrderStatus status : ReturnStatuses()) {
    wf.set_order_status(status);
    for (v1::Stage stage : {v1::IN_TRANSIT, v1::DELIVERED, v1::COMPLETED}) {
      wf.set_stage(stage);
      EXPECT_TRUE(StatusFits(wf)) << v1::Stage_Name(stage) << " "
                                  << order::v1::OrderStatus_Name(status);
    }
    wf.set_stage(v1::ALLOCATING);
    EXPECT_FALSE(StatusFits(wf));
  }
  wf.set_order_status(order::v1::DELIVERED);
  wf.set_stage(v1::COMPLETED);
  EXPECT_FALSE(StatusFits(wf));  // a plain delivered order is still completed
}

TEST(WorkflowStateTest, ReleasedFromAHoldTheOrderGoesBackToItsHeldStatus) {
  v1::Workflow wf;
  wf.set_stage(v1::ALLOCATING);  // resumed here after an amendment while held
  wf.set_order_status(order::v1::ON_HOLD);
  wf.set_held_order_status(order::v1::ALLOCATED);
  EXPECT_EQ(ImpliedStatus(wf), order::v1::ALLOCATED);
}

TEST(WorkflowStateTest, DeliveredNeedsEveryLiveParcelDelivered) {
  v1::Workflow wf;
  EXPECT_FALSE(AllLiveDelivered(wf));
  *wf.add_shipments() = Parcel("a", logistics::v1::DELIVERED);
  v1::WorkflowShipment lost = Parcel("b", logistics::v1::LOST);
  lost.set_replaced(true);  // reshipped: its replacement counts instead
  *wf.add_shipments() = lost;
  EXPECT_TRUE(AllLiveDelivered(wf));
  *wf.add_shipments() = Parcel("c", logistics::v1::IN_TRANSIT);
  EXPECT_FALSE(AllLiveDelivered(wf));
}

TEST(WorkflowStateTest, CommandsNameWhoChangesTheStatus) {
  v1::Workflow wf;
  EXPECT_EQ(NoteFor(wf, order::v1::ALLOCATED).actor(), "orchestrator");
  EXPECT_EQ(NoteFor(wf, order::v1::ALLOCATED).reason(), "stock reserved");
  *wf.mutable_status_note() = MakeNote("reviewer:chen", "approved in review: known", kNow);
  EXPECT_EQ(NoteFor(wf, order::v1::APPROVED).actor(), "reviewer:chen");
}

// Workflows saved before the parcel state was an enum carry its name; they read the same,
// and the next save writes the enum only.
TEST(WorkflowStateTest, AParcelStateSavedAsANameReadsAsTheEnum) {
  v1::WorkflowShipment legacy;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  legacy.set_state("IN_TRANSIT");
  EXPECT_EQ(StateOf(legacy), logistics::v1::IN_TRANSIT);
  EXPECT_TRUE(PickedUp(legacy));
  SetState(legacy, logistics::v1::DELIVERED);
  EXPECT_EQ(legacy.state(), "");
#pragma GCC diagnostic pop
  EXPECT_EQ(StateOf(legacy), logistics::v1::DELIVERED);
  EXPECT_EQ(StateOf(v1::WorkflowShipment()), logistics::v1::SHIPMENT_STATE_UNSPECIFIED);
}

TEST(WorkflowStateTest, NewWorkflowCopiesTheOrder) {
  order::v1::Order order;
  order.set_order_id("ord_1");
  order.set_version(3);
  order.set_status(order::v1::RECEIVED);
  order.set_urgency(order::v1::URGENT);
  order.set_ship_complete(true);
  order.mutable_customer()->set_name("王芳");
  order.mutable_customer()->mutable_shipping_address()->set_region("North");
  order::v1::OrderLine* line = order.add_lines();
  line->set_sku("TEA");
  line->set_quantity(2);
  v1::Workflow wf = NewWorkflow(order, kNow);
  EXPECT_EQ(wf.stage(), v1::RECEIVED);
  EXPECT_EQ(wf.region(), "North");
  EXPECT_EQ(wf.recipient_name(), "王芳");
  EXPECT_EQ(wf.order_version(), 3);
  EXPECT_EQ(wf.order_status(), order::v1::RECEIVED);
  EXPECT_TRUE(wf.ship_complete());
  EXPECT_EQ(wf.urgency(), order::v1::URGENT);
  ASSERT_EQ(wf.lines_size(), 1);
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), kNow);
}

}  // namespace
}  // namespace oms::orchestrator
