// The workflow engine against fake peers (testing/fake_peers.h), where failures are
// injected per call: how one classification of errors (IsTransient) decides between
// retrying a step and stopping it with compensation, and that a compensation is carried
// through to one consistent end however often a peer is away.
#include <functional>

#include "gtest/gtest.h"
#include "orchestrator_svc/grpc_peers.h"
#include "orchestrator_svc/orchestrator.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/testing/fake_peers_fixture.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/test_orders.h"
#include "platform/base/status.h"
#include "platform/security/call_context.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/in_memory_host.h"

namespace oms::orchestrator {
namespace {

class WorkflowEngineTest : public testing::FakePeersFixture {
 protected:
  v1::PlaceOrderResponse Place(const std::string& reference) {
    v1::PlaceOrderRequest request;
    request.set_idempotency_key(reference);
    *request.mutable_order() = order::SampleCreateOrder(reference);
    absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(request);
    EXPECT_TRUE(placed.ok()) << placed.status();
    return placed.ok() ? *placed : v1::PlaceOrderResponse();
  }

  v1::Workflow Workflow(const std::string& order_id) {
    v1::GetWorkflowRequest get;
    get.set_order_id(order_id);
    return *orchestrator_->intake().GetWorkflow(get);
  }

  int OpenTickets(const std::string& order_id) {
    v1::ListExceptionsRequest list;
    list.set_order_id(order_id);
    return orchestrator_->tickets().List(list)->tickets_size();
  }

  // Another save of the workflow (a command or an event), as it lands while a step runs.
  void SavedByAnother(const std::string& order_id) {
    ASSERT_TRUE(host_->db()
                    .Transact([&](Session& s) -> absl::Status {
                      OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                                           store::FindWorkflow(s, order_id));
                      return store::SaveWorkflow(s, *v);
                    })
                    .ok());
  }

  // order_svc's OrderCreated for `order`, as the orchestrator's follower applies it.
  void DeliverOrderCreated(const order::v1::Order& order) {
    order::v1::OrderCreated created;
    *created.mutable_order() = order;
    events::v1::Event event;
    event.set_type("OrderCreated");
    event.mutable_payload()->PackFrom(created);
    ASSERT_TRUE(host_->db()
                    .Transact([&](Session& s) { return orchestrator_->events().Handle(s, event); })
                    .ok());
  }

  // Runs `act` with the order's id once, while the test's first Allocate is in flight.
  void DuringFirstAllocate(std::function<void(const std::string& order_id)> act) {
    inventory_.on_allocate = [this, act](const inventory::v1::AllocateRequest& request) {
      if (first_allocate_seen_) return;
      first_allocate_seen_ = true;
      act(request.order_id());
    };
  }
  bool first_allocate_seen_ = false;

  void RunUntilQuiet() {
    for (int i = 0; i < 20; ++i) {
      clock_.Advance(absl::Minutes(10));  // past any backoff
      absl::StatusOr<v1::RunWorkflowsResponse> run = orchestrator_->engine().RunDue();
      ASSERT_TRUE(run.ok()) << run.status();
      if (run->advanced() == 0 && run->retried() == 0) return;
    }
  }
};

TEST_F(WorkflowEngineTest, TheOrderStatusFollowsTheStageTableOnce) {
  v1::PlaceOrderResponse placed = Place("WEB-1");
  EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(orders_.moves,
            (std::vector<order::v1::OrderStatus>{order::v1::APPROVED, order::v1::ALLOCATED}));
  EXPECT_EQ(placed.status(), order::v1::ALLOCATED);
  // Issue 20: the stages passed in a row tell order_svc their statuses in one call.
  EXPECT_EQ(orders_.faults.Calls("MoveTo"), 1);
}

// Found by the suite's traces (issue 20): with a clock that moves while a step runs, a stage
// to run at once (due at the step's own reading of the clock) was taken for a rest, so the
// statuses were told mid-pass, one TransitionOrder per stage instead of one where it rests.
TEST_F(WorkflowEngineTest, StatusesAreToldWhereThePassRestsWhileTheClockMoves) {
  clock_.TickOnRead(absl::Microseconds(1));
  int told_before_label = -1;
  logistics_.on_create = [&](const logistics::v1::Shipment&) {
    told_before_label = orders_.faults.Calls("MoveTo");
  };
  v1::PlaceOrderResponse placed = Place("WEB-1");
  EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(told_before_label, 0);
  EXPECT_EQ(orders_.faults.Calls("MoveTo"), 1);
  EXPECT_EQ(placed.status(), order::v1::ALLOCATED);
}

TEST_F(WorkflowEngineTest, StatusesOrderSvcCouldNotBeToldAreKeptAndToldByTheRetry) {
  // Refused at the end of the pass and again by the immediate second try after it.
  orders_.faults.Fail("MoveTo", absl::UnavailableError("order_svc restarting"), 2);
  v1::PlaceOrderResponse placed = Place("WEB-1");
  v1::Workflow wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::AWAITING_PICKUP);  // the stages' work is done and kept
  EXPECT_EQ(wf.owed_statuses_size(), 2);       // APPROVED and ALLOCATED, not told yet
  EXPECT_TRUE(orders_.moves.empty());
  RunUntilQuiet();
  wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.owed_statuses_size(), 0);
  EXPECT_EQ(wf.order_status(), order::v1::ALLOCATED);
  EXPECT_EQ(orders_.moves,
            (std::vector<order::v1::OrderStatus>{order::v1::APPROVED, order::v1::ALLOCATED}));
  EXPECT_EQ(orders_.faults.Calls("MoveTo"), 3);  // the two refused, then the worker's
  EXPECT_EQ(OpenTickets(placed.order_id()), 0);
}

// Issue 15, 6: a CANCELLED answer from a peer that was stopping was compensated as if it had
// refused for good.
TEST_F(WorkflowEngineTest, AStoppingPeerIsRetriedNotCompensated) {
  logistics_.faults.Fail("CreateShipment", absl::CancelledError("server shutting down"), 2);
  v1::PlaceOrderResponse placed = Place("WEB-1");
  v1::Workflow wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::SHIPPING);
  EXPECT_EQ(wf.attempts(), 1);
  EXPECT_FALSE(wf.compensated());
  EXPECT_EQ(inventory_.faults.Calls("ReleaseAll"), 0);
  // The stages before it told order_svc their statuses all the same.
  EXPECT_EQ(wf.order_status(), order::v1::ALLOCATED);
  EXPECT_EQ(wf.owed_statuses_size(), 0);
  EXPECT_EQ(OpenTickets(placed.order_id()), 0);
  RunUntilQuiet();
  wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(wf.last_error(), "");
  EXPECT_EQ(logistics_.shipments.size(), 1u);
}

// Issue 20: a pass saves its stages together at its end. A command or an event saved while
// one stage's step ran still stops the pass there: the next stage's step does not run on the
// workflow it replaced; the pass reads the workflow again and goes on from what was saved.
TEST_F(WorkflowEngineTest, AWorkflowSavedDuringAStepStopsThePassBeforeTheNextStage) {
  DuringFirstAllocate([&](const std::string& order_id) {
    // The placed order's workflow is not stored yet: the OrderCreated event stores its
    // placeholder, and a command saves that before the pass does.
    DeliverOrderCreated(orders_.orders[order_id]);
    SavedByAnother(order_id);
  });
  v1::PlaceOrderResponse placed = Place("WEB-1");
  ASSERT_TRUE(first_allocate_seen_);
  EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(inventory_.faults.Calls("Allocate"), 2);        // again, on what the other save kept
  EXPECT_EQ(logistics_.faults.Calls("CreateShipment"), 1);  // never on the replaced workflow
  EXPECT_EQ(logistics_.shipments.size(), 1u);
  EXPECT_EQ(OpenTickets(placed.order_id()), 0);
}

// Issue 20: PlaceOrder stores the workflow once, at the end of its pass. When order_svc's
// OrderCreated reaches the orchestrator first, the placeholder it stores is taken over: no
// step runs twice and the stages are announced from the placeholder's.
TEST_F(WorkflowEngineTest, APlaceholderStoredDuringThePlacingPassIsTakenOver) {
  DuringFirstAllocate(
      [&](const std::string& order_id) { DeliverOrderCreated(orders_.orders[order_id]); });
  v1::PlaceOrderResponse placed = Place("WEB-1");
  ASSERT_TRUE(first_allocate_seen_);
  EXPECT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(inventory_.faults.Calls("Allocate"), 1);
  EXPECT_EQ(logistics_.faults.Calls("CreateShipment"), 1);
  EXPECT_EQ(orders_.faults.Calls("MoveTo"), 1);
  absl::StatusOr<std::vector<events::v1::Event>> events =
      host_->outbox().List(0, 100, {"WorkflowStageChanged"});
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_FALSE(events->empty());
  v1::WorkflowStageChanged first;
  ASSERT_TRUE(events->front().payload().UnpackTo(&first));
  EXPECT_EQ(first.from_stage(), v1::RECEIVED);
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::AWAITING_PICKUP);
  RunUntilQuiet();  // nothing left for the worker
  EXPECT_EQ(inventory_.faults.Calls("Allocate"), 1);
  EXPECT_EQ(logistics_.shipments.size(), 1u);
}

// Found under ASan: an amendment's new label was made, then an event about the old label
// changed the workflow before the step saved; the step's retry took its own label for a
// stray and cancelled it, leaving the order with no live label.
TEST_F(WorkflowEngineTest, AStepWhoseSaveLostARaceKeepsTheLabelItMade) {
  v1::PlaceOrderResponse placed = Place("WEB-7");
  ASSERT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  const std::string first_label = Workflow(placed.order_id()).shipments(0).shipment_id();
  bool raced = false;
  logistics_.on_create = [&](const logistics::v1::Shipment&) {
    if (raced) return;
    raced = true;  // an event changes the workflow while the step is still running
    SavedByAnother(placed.order_id());
  };
  v1::AmendOrderRequest amend;
  amend.set_idempotency_key("new-street");
  amend.set_order_id(placed.order_id());
  amend.set_actor("cs:wang");
  amend.set_reason("customer moved");
  *amend.mutable_shipping_address() =
      orders_.orders[placed.order_id()].customer().shipping_address();
  amend.mutable_shipping_address()->set_street("新街 9 号");
  ASSERT_TRUE(orchestrator_->commands().Amend(amend).ok());
  RunUntilQuiet();
  ASSERT_TRUE(raced);
  v1::Workflow wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::AWAITING_PICKUP);
  std::vector<std::string> live;
  for (const auto& [id, shipment] : logistics_.shipments) {
    if (shipment.state() != logistics::v1::CANCELLED) live.push_back(id);
  }
  ASSERT_EQ(live.size(), 1u);
  EXPECT_NE(live[0], first_label);
  for (const v1::WorkflowShipment& s : wf.shipments()) {
    EXPECT_EQ(Live(s), s.shipment_id() == live[0]) << s.DebugString();
  }
}

// Found by day_of_trading_test (1 run in 13): the carrier's pickup was recorded on the
// workflow, but the worker's step ran only after the pickup deadline had passed; the engine
// judged the stage overdue before running it, so the order moved on and a PROCESSING_TIMEOUT
// ticket opened for a parcel that had been picked up.
TEST_F(WorkflowEngineTest, AStageWhoseEventArrivedInTimeIsNotOverdueWhenItsStepRunsLate) {
  v1::PlaceOrderResponse placed = Place("WEB-8");
  ASSERT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  logistics::v1::ShipmentStatusChanged picked;
  picked.set_order_id(placed.order_id());
  picked.set_shipment_id(Workflow(placed.order_id()).shipments(0).shipment_id());
  picked.set_to_state(logistics::v1::PICKED_UP);
  events::v1::Event event;
  event.set_event_id("evt_pickup");
  event.set_type(picked.GetDescriptor()->name());
  event.mutable_payload()->PackFrom(picked);
  ASSERT_TRUE(host_->db()
                  .Transact([&](Session& s) { return orchestrator_->events().Handle(s, event); })
                  .ok());
  clock_.Advance(absl::Hours(49));  // past --pickup_timeout before the worker runs
  ASSERT_TRUE(orchestrator_->engine().RunDue().ok());
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::IN_TRANSIT);
  EXPECT_EQ(OpenTickets(placed.order_id()), 0);
}

TEST_F(WorkflowEngineTest, AStageStillWaitingPastItsDeadlineOpensItsTicketOnce) {
  v1::PlaceOrderResponse placed = Place("WEB-9");
  clock_.Advance(absl::Hours(49));
  ASSERT_TRUE(orchestrator_->engine().RunDue().ok());
  ASSERT_TRUE(orchestrator_->engine().RunDue().ok());
  EXPECT_EQ(Workflow(placed.order_id()).stage(), v1::AWAITING_PICKUP);
  v1::ListExceptionsRequest list;
  list.set_order_id(placed.order_id());
  list.set_type(v1::PROCESSING_TIMEOUT);
  EXPECT_EQ(orchestrator_->tickets().List(list)->tickets_size(), 1);
}

TEST_F(WorkflowEngineTest, EveryTransientCodeRetriesAndEveryPermanentOneStops) {
  for (absl::StatusCode code :
       {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded,
        absl::StatusCode::kCancelled, absl::StatusCode::kAborted,
        absl::StatusCode::kResourceExhausted, absl::StatusCode::kInternal}) {
    EXPECT_TRUE(IsTransient(absl::Status(code, "x"))) << absl::StatusCodeToString(code);
  }
  for (absl::StatusCode code :
       {absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
        absl::StatusCode::kFailedPrecondition, absl::StatusCode::kPermissionDenied,
        absl::StatusCode::kAlreadyExists, absl::StatusCode::kUnimplemented}) {
    EXPECT_FALSE(IsTransient(absl::Status(code, "x"))) << absl::StatusCodeToString(code);
  }
}

TEST_F(WorkflowEngineTest, APermanentRefusalStopsCompensatesAndOpensOneTicket) {
  logistics_.faults.Fail("CreateShipment",
                         absl::FailedPreconditionError("no carrier can take this parcel"));
  v1::PlaceOrderResponse placed = Place("WEB-1");
  v1::Workflow wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::SHIPPING);
  EXPECT_TRUE(wf.compensated());
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), Parked());
  EXPECT_EQ(inventory_.faults.Calls("ReleaseAll"), 1);
  for (const auto& r : inventory_.allocations[placed.order_id()].reservations()) {
    EXPECT_EQ(r.status(), inventory::v1::Reservation::RELEASED);
  }
  v1::ListExceptionsRequest list;
  list.set_order_id(placed.order_id());
  absl::StatusOr<v1::ListExceptionsResponse> tickets = orchestrator_->tickets().List(list);
  ASSERT_EQ(tickets->tickets_size(), 1);
  EXPECT_EQ(tickets->tickets(0).type(), v1::INVALID_CUSTOMER_INFO);
  RunUntilQuiet();  // parked: nothing runs it again by itself
  EXPECT_EQ(logistics_.faults.Calls("CreateShipment"), 1);
}

// Issue 15, 6: compensation that could not reach a peer was left half done.
TEST_F(WorkflowEngineTest, ACancelWhosePeersAreAwayFinishesWhenTheyComeBack) {
  v1::PlaceOrderResponse placed = Place("WEB-1");
  logistics_.faults.Fail("ShipmentsOf", absl::UnavailableError("connection refused"), 3);
  inventory_.faults.Fail("ReleaseAll", absl::CancelledError("shutting down"), 2);
  v1::CancelOrderRequest cancel;
  cancel.set_order_id(placed.order_id());
  cancel.set_actor("cs:wang");
  cancel.set_reason("changed mind");
  absl::StatusOr<v1::Workflow> accepted = orchestrator_->commands().Cancel(cancel);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->stage(), v1::CANCELLING);  // accepted, carried on by the worker
  RunUntilQuiet();
  v1::Workflow wf = Workflow(placed.order_id());
  EXPECT_EQ(wf.stage(), v1::CANCELLED);
  EXPECT_EQ(orders_.orders[placed.order_id()].status(), order::v1::CANCELLED);
  EXPECT_EQ(logistics_.shipments.begin()->second.state(), logistics::v1::CANCELLED);
  for (const auto& r : inventory_.allocations[placed.order_id()].reservations()) {
    EXPECT_EQ(r.status(), inventory::v1::Reservation::RELEASED);
  }
  EXPECT_EQ(OpenTickets(placed.order_id()), 0);
}

TEST_F(WorkflowEngineTest, AnOrderLeftWithoutItsWorkflowIsAdoptedFromItsEventAfterAGrace) {
  // PlaceOrder stopped right after order_svc made the order (a crash, a shutdown).
  order::v1::CreateOrderRequest create = order::SampleCreateOrder("WEB-9");
  create.set_workflow_managed(true);
  order::v1::Order order = *orders_.Create(create);
  DeliverOrderCreated(order);
  // PlaceOrder may still be running its pass: the worker leaves the placeholder to it.
  clock_.Advance(absl::Seconds(9));
  absl::StatusOr<v1::RunWorkflowsResponse> early = orchestrator_->engine().RunDue();
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_EQ(early->advanced(), 0);
  EXPECT_EQ(Workflow(order.order_id()).stage(), v1::RECEIVED);
  EXPECT_EQ(inventory_.faults.Calls("Allocate"), 0);
  RunUntilQuiet();
  EXPECT_EQ(Workflow(order.order_id()).stage(), v1::AWAITING_PICKUP);
  // An order placed outside the workflow (order_svc only) is left alone.
  order::v1::Order plain = *orders_.Create(order::SampleCreateOrder("WEB-10"));
  DeliverOrderCreated(plain);
  v1::GetWorkflowRequest get;
  get.set_order_id(plain.order_id());
  EXPECT_EQ(orchestrator_->intake().GetWorkflow(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(WorkflowEngineTest, PeerCallsEndWithTheCallersDeadline) {
  absl::Time soon = absl::Now() + absl::Milliseconds(300);
  auth::CallInfo call;
  call.deadline = soon;
  {
    auth::CallScope scope(&call);
    EXPECT_EQ(PeerDeadline(absl::Seconds(5)), soon);
    EXPECT_LT(PeerDeadline(absl::Milliseconds(10)), soon);
  }
  EXPECT_GT(PeerDeadline(absl::Seconds(5)), soon);  // no call being served: our own limit
}

}  // namespace
}  // namespace oms::orchestrator
