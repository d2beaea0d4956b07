// What other services' events do to workflows (WorkflowEvents), applied in a transaction of
// the orchestrator's store with fake peers (the handlers make no peer calls).
#include "orchestrator_svc/workflow_events.h"

#include "gtest/gtest.h"
#include "orchestrator_svc/orchestrator.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/testing/fake_peers_fixture.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/test_orders.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/in_memory_host.h"

namespace oms::orchestrator {
namespace {

class WorkflowEventsTest : public testing::FakePeersFixture {
 protected:
  // A workflow at `stage` for order ord_1, with one label shp_1 at WH-1 (held for a
  // "fraud check" when `held` is given).
  void Workflow(v1::Stage stage, v1::Stage held = v1::STAGE_UNSPECIFIED) {
    v1::Workflow wf;
    wf.set_order_id("ord_1");
    wf.set_stage(stage);
    wf.set_held_stage(held);
    if (held != v1::STAGE_UNSPECIFIED) {
      *wf.mutable_hold() = MakeNote("ops:chen", "fraud check", clock_.Now());
    }
    wf.set_order_status(order::v1::ALLOCATED);
    *wf.mutable_next_run_at() = ToProtoTime(Parked());
    v1::WorkflowShipment* s = wf.add_shipments();
    s->set_shipment_id("shp_1");
    s->set_warehouse_id("WH-1");
    SetState(*s, logistics::v1::CREATED);
    ASSERT_TRUE(host_->db()
                    .Transact([&](Session& s) { return store::InsertWorkflow(s, wf).status(); })
                    .ok());
  }

  v1::Workflow Stored() {
    std::optional<store::VersionedWorkflow> v;
    EXPECT_TRUE(host_->db()
                    .Read([&](Session& s) -> absl::Status {
                      v = *store::FindWorkflow(s, "ord_1");
                      return absl::OkStatus();
                    })
                    .ok());
    return v.has_value() ? v->workflow : v1::Workflow();
  }

  absl::Status Handle(const google::protobuf::Message& payload) {
    events::v1::Event event;
    event.set_event_id("evt_1");
    event.set_type(payload.GetDescriptor()->name());
    event.mutable_payload()->PackFrom(payload);
    return host_->db().Transact(
        [&](Session& s) { return orchestrator_->events().Handle(s, event); });
  }

  bool Due() { return FromProtoTime(Stored().next_run_at()) <= clock_.Now(); }

  // ord_1's exception tickets.
  std::vector<v1::ExceptionTicket> Tickets() {
    v1::ListExceptionsRequest list;
    list.set_order_id("ord_1");
    absl::StatusOr<v1::ListExceptionsResponse> tickets = orchestrator_->tickets().List(list);
    EXPECT_TRUE(tickets.ok()) << tickets.status();
    if (!tickets.ok()) return {};
    return {tickets->tickets().begin(), tickets->tickets().end()};
  }
};

TEST_F(WorkflowEventsTest, FollowsExactlyTheTypesItHandles) {
  const std::vector<std::string>& types = orchestrator_->events().types();
  for (const char* type :
       {"OrderCreated", "OrderUpdated", "OrderCancelled", "PaymentRecorded", "BackorderAllocated",
        "ShipmentStatusChanged", "ShipmentDelayed", "ShipmentLost"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
  EXPECT_EQ(types.size(), 8u);
}

TEST_F(WorkflowEventsTest, APickupWakesAWorkflowWaitingForItAndIsOnlyRecordedWhileHeld) {
  Workflow(v1::AWAITING_PICKUP);
  logistics::v1::ShipmentStatusChanged picked;
  picked.set_order_id("ord_1");
  picked.set_shipment_id("shp_1");
  picked.set_to_state(logistics::v1::PICKED_UP);
  ASSERT_TRUE(Handle(picked).ok());
  EXPECT_EQ(StateOf(Stored().shipments(0)), logistics::v1::PICKED_UP);
  EXPECT_TRUE(Due());
}

TEST_F(WorkflowEventsTest, WhileHeldEventsAreRecordedAndNothingMoves) {
  Workflow(v1::ON_HOLD, v1::BACKORDERED);
  inventory::v1::BackorderAllocated filled;
  filled.mutable_allocation()->set_order_id("ord_1");
  filled.mutable_allocation()->set_fully_allocated(true);
  ASSERT_TRUE(Handle(filled).ok());
  EXPECT_EQ(Stored().stage(), v1::ON_HOLD);
  EXPECT_EQ(Stored().held_stage(), v1::ALLOCATING);  // ships once released
  EXPECT_FALSE(Due());
}

TEST_F(WorkflowEventsTest, APickupWhileHeldOpensOneLateChangeTicketAndTheHoldStays) {
  Workflow(v1::ON_HOLD, v1::AWAITING_PICKUP);
  logistics::v1::ShipmentStatusChanged moved;
  moved.set_order_id("ord_1");
  moved.set_shipment_id("shp_1");
  for (auto state : {logistics::v1::PICKED_UP, logistics::v1::IN_TRANSIT}) {
    moved.set_to_state(state);
    ASSERT_TRUE(Handle(moved).ok());
  }
  v1::Workflow wf = Stored();
  EXPECT_EQ(wf.stage(), v1::ON_HOLD);  // the person who held it decides
  EXPECT_EQ(wf.held_stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(StateOf(wf.shipments(0)), logistics::v1::IN_TRANSIT);
  EXPECT_FALSE(Due());
  std::vector<v1::ExceptionTicket> tickets = Tickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type(), v1::LATE_CHANGE);
  EXPECT_EQ(tickets[0].shipment_id(), "shp_1");
  EXPECT_NE(tickets[0].description().find("on hold by ops:chen (fraud check):"), std::string::npos)
      << tickets[0].description();
}

TEST_F(WorkflowEventsTest, AHoldFromBeforeItsNoteWasKeptStillTicketsThePickup) {
  Workflow(v1::ON_HOLD);  // no hold note
  logistics::v1::ShipmentStatusChanged picked;
  picked.set_order_id("ord_1");
  picked.set_shipment_id("shp_1");
  picked.set_to_state(logistics::v1::PICKED_UP);
  ASSERT_TRUE(Handle(picked).ok());
  std::vector<v1::ExceptionTicket> tickets = Tickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_NE(tickets[0].description().find("while the order was on hold: the hold did not"),
            std::string::npos)
      << tickets[0].description();
}

TEST_F(WorkflowEventsTest, ALabelMadeWhileHeldOpensNoTicket) {
  Workflow(v1::ON_HOLD, v1::AWAITING_PICKUP);
  logistics::v1::ShipmentStatusChanged made;
  made.set_order_id("ord_1");
  made.set_shipment_id("shp_1");
  made.set_to_state(logistics::v1::CREATED);
  ASSERT_TRUE(Handle(made).ok());
  EXPECT_TRUE(Tickets().empty());
}

TEST_F(WorkflowEventsTest, ACancelInOrderSvcIsCompensatedByTheWorkflow) {
  Workflow(v1::AWAITING_PICKUP);
  order::v1::OrderCancelled cancelled;
  cancelled.set_order_id("ord_1");
  cancelled.set_actor("ops:script");
  cancelled.set_reason("bulk clean-up");
  ASSERT_TRUE(Handle(cancelled).ok());
  v1::Workflow wf = Stored();
  EXPECT_EQ(wf.stage(), v1::CANCELLING);
  EXPECT_EQ(wf.cancel().actor(), "ops:script");
  EXPECT_EQ(wf.order_status(), order::v1::CANCELLED);
  EXPECT_TRUE(Due());
}

TEST_F(WorkflowEventsTest, ALostParcelOpensOneTicketHoweverOftenItIsReported) {
  Workflow(v1::IN_TRANSIT);
  logistics::v1::ShipmentLost lost;
  lost.mutable_shipment()->set_order_id("ord_1");
  lost.mutable_shipment()->set_shipment_id("shp_1");
  lost.mutable_shipment()->set_state(logistics::v1::LOST);
  ASSERT_TRUE(Handle(lost).ok());
  ASSERT_TRUE(Handle(lost).ok());
  std::vector<v1::ExceptionTicket> tickets = Tickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type(), v1::PACKAGE_LOST);
  EXPECT_EQ(tickets[0].shipment_id(), "shp_1");
}

TEST_F(WorkflowEventsTest, ALabelTheWorkflowDidNotKnowIsRecordedAsNotItsOwn) {
  Workflow(v1::AWAITING_PICKUP);
  logistics::v1::ShipmentStatusChanged stray;
  stray.set_order_id("ord_1");
  stray.set_shipment_id("shp_9");  // made by a step whose save lost a race
  stray.set_to_state(logistics::v1::CREATED);
  ASSERT_TRUE(Handle(stray).ok());
  v1::Workflow wf = Stored();
  ASSERT_EQ(wf.shipments_size(), 2);
  EXPECT_TRUE(wf.shipments(1).superseded());  // SHIPPING cancels it if it is still a label
}

TEST_F(WorkflowEventsTest, EventsOfOrdersWithoutAWorkflowAndCorruptPayloads) {
  order::v1::PaymentRecorded paid;
  paid.set_order_id("ord_elsewhere");  // recorded with CreateOrder alone: not ours
  paid.mutable_payment()->set_status(order::v1::Payment::PAID);
  EXPECT_TRUE(Handle(paid).ok());
  events::v1::Event corrupt;
  corrupt.set_type("PaymentRecorded");
  corrupt.mutable_payload()->PackFrom(logistics::v1::ShipmentLost());  // not what it says
  absl::Status refused =
      host_->db().Transact([&](Session& s) { return orchestrator_->events().Handle(s, corrupt); });
  EXPECT_EQ(refused.code(), absl::StatusCode::kDataLoss);
  events::v1::Event other;
  other.set_type("StockAdjusted");  // not one the workflows act on
  EXPECT_TRUE(host_->db()
                  .Transact([&](Session& s) { return orchestrator_->events().Handle(s, other); })
                  .ok());
}

}  // namespace
}  // namespace oms::orchestrator
