// A model-based test of the workflow: for every stage, every command (cancel, hold,
// release, amend, refund, approve, reject, retry) and every event from outside (payment,
// backorder filled, pickup, delay, loss, delivery, failed delivery) is applied to an order
// in that stage, against real in-process services, and the result must satisfy the
// invariants users rely on:
//   - a command either works or is refused with FAILED_PRECONDITION; nothing else;
//   - order_svc's status is one the workflow's stage allows;
//   - a cancelled or rejected order holds no reservation, no backorder queue place, no label;
//   - a refunded order that the carrier does not have ships nothing;
//   - at most one live label per warehouse, and in AWAITING_PICKUP exactly the warehouses
//     holding the order's stock have one, for everything the order holds;
//   - inventory's ledger, reserved and on-hand figures agree (CheckInvariants).
#include <set>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/test_orders.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

enum class Action {
  kCancel,
  kHold,
  kRelease,
  kAmendAddress,
  kAmendLines,
  kRefund,
  kApprove,
  kReject,
  kRetry,
  kPayment,
  kBackorderFilled,
  kPickup,
  kDelay,
  kLoss,
  kDelivered,
  kDeliveryFailed,
};

const char* Name(Action a) {
  static const char* names[] = {"Cancel",     "Hold",    "Release",         "AmendAddress",
                                "AmendLines", "Refund",  "Approve",         "Reject",
                                "Retry",      "Payment", "BackorderFilled", "Pickup",
                                "Delay",      "Loss",    "Delivered",       "DeliveryFailed"};
  return names[static_cast<int>(a)];
}

bool IsCommand(Action a) { return a <= Action::kRetry; }

const v1::Stage kStages[] = {
    v1::RECEIVED, v1::PENDING_REVIEW,  v1::AWAITING_PAYMENT, v1::ALLOCATING, v1::BACKORDERED,
    v1::SHIPPING, v1::AWAITING_PICKUP, v1::IN_TRANSIT,       v1::DELIVERED,  v1::COMPLETED,
    v1::ON_HOLD,  v1::CANCELLING,      v1::CANCELLED,        v1::REJECTED};

const Action kActions[] = {
    Action::kCancel,     Action::kHold,    Action::kRelease,         Action::kAmendAddress,
    Action::kAmendLines, Action::kRefund,  Action::kApprove,         Action::kReject,
    Action::kRetry,      Action::kPayment, Action::kBackorderFilled, Action::kPickup,
    Action::kDelay,      Action::kLoss,    Action::kDelivered,       Action::kDeliveryFailed};

class WorkflowModelTest : public testing::OrchestratorFixture,
                          public ::testing::WithParamInterface<std::tuple<v1::Stage, Action>> {
 protected:
  void SetUp() override {
    OrchestratorFixture::SetUp();
    StockNorth("TEA-LONGJING-250G", 10);
  }

  // Changes the stored workflow as the engine would on entering `stage` (for the stages a
  // live suite passes through too quickly to catch: their step is due but has not run).
  void Force(const std::string& order_id, v1::Stage stage,
             const std::function<void(v1::Workflow&)>& also = nullptr) {
    ASSERT_TRUE(host_->db()
                    .Transact([&](Session& s) -> absl::Status {
                      std::optional<store::VersionedWorkflow> v = *store::FindWorkflow(s, order_id);
                      if (also) also(v->workflow);
                      Enter(v->workflow, stage, clock_.Now(), OrchestratorOptions());
                      return store::SaveWorkflow(s, *v);
                    })
                    .ok());
  }

  order::v1::CreateOrderRequest Request(order::v1::PaymentMethod method, int64_t tea) {
    order::v1::CreateOrderRequest request = order::SampleCreateOrder("MODEL-1");
    request.mutable_lines()->DeleteSubrange(1, 1);
    request.mutable_lines(0)->set_quantity(tea);
    request.set_payment_method(method);
    return request;
  }

  // An order in `stage`.
  std::string Reach(v1::Stage stage) {
    switch (stage) {
      case v1::RECEIVED: {  // recorded as a workflow order; its workflow not yet run
        order::v1::CreateOrderRequest request = Request(order::v1::COD, 2);
        request.set_workflow_managed(true);
        grpc::ClientContext context;
        order::v1::Order order;
        EXPECT_TRUE(order_stub_->CreateOrder(&context, request, &order).ok());
        for (auto& consumer : consumers_) EXPECT_TRUE(consumer->PollOnce().ok());
        return order.order_id();
      }
      case v1::PENDING_REVIEW: {
        v1::ReviewRule rule;
        rule.set_rule_id("all");
        rule.set_kind(v1::ReviewRule::AMOUNT_ABOVE);
        rule.mutable_limit()->set_currency_code("CNY");
        rule.set_action(v1::ReviewRule::MANUAL_REVIEW);
        SaveRule(rule);
        return Place(Request(order::v1::COD, 2), "k").order_id();
      }
      case v1::REJECTED: {
        v1::ReviewRule rule;
        rule.set_rule_id("block");
        rule.set_kind(v1::ReviewRule::BLOCKLIST);
        rule.add_blocked("13800138000");
        rule.set_action(v1::ReviewRule::REJECT);
        SaveRule(rule);
        return Place(Request(order::v1::COD, 2), "k").order_id();
      }
      case v1::AWAITING_PAYMENT:
        return Place(Request(order::v1::PREPAID, 2), "k").order_id();
      case v1::ALLOCATING: {  // paid; its allocation step due
        std::string id = Place(Request(order::v1::PREPAID, 2), "k").order_id();
        Pay(id);
        for (auto& consumer : consumers_) EXPECT_TRUE(consumer->PollOnce().ok());
        Force(id, v1::ALLOCATING);
        return id;
      }
      case v1::BACKORDERED:
        return Place(Request(order::v1::COD, 35), "k").order_id();  // 30 in stock
      case v1::SHIPPING: {  // allocated; its label being made
        std::string id = Place(Request(order::v1::COD, 2), "k").order_id();
        for (const auto& s : Shipments(id)) CancelLabelDirectly(s.shipment_id());
        for (auto& consumer : consumers_) EXPECT_TRUE(consumer->PollOnce().ok());
        Force(id, v1::SHIPPING, [](v1::Workflow& wf) {
          for (auto& s : *wf.mutable_shipments()) s.set_superseded(true);
          wf.set_revision(wf.revision() + 1);
        });
        return id;
      }
      case v1::AWAITING_PICKUP:
        return Place(Request(order::v1::COD, 2), "k").order_id();
      case v1::IN_TRANSIT: {
        std::string id = Place(Request(order::v1::COD, 2), "k").order_id();
        TrackAll(id, logistics::v1::TrackingEvent::PICKED_UP);
        Pump();
        return id;
      }
      case v1::DELIVERED:
      case v1::COMPLETED: {  // credit terms stay DELIVERED until paid
        order::v1::PaymentMethod method =
            stage == v1::DELIVERED ? order::v1::CREDIT_TERMS : order::v1::COD;
        std::string id = Place(Request(method, 2), "k").order_id();
        TrackAll(id, logistics::v1::TrackingEvent::PICKED_UP);
        TrackAll(id, logistics::v1::TrackingEvent::DELIVERED);
        Pump();
        return id;
      }
      case v1::ON_HOLD: {
        std::string id = Place(Request(order::v1::COD, 2), "k").order_id();
        EXPECT_TRUE(Hold(id).ok());
        return id;
      }
      case v1::CANCELLING: {  // accepted; the compensation due
        std::string id = Place(Request(order::v1::COD, 2), "k").order_id();
        Force(id, v1::CANCELLING, [&](v1::Workflow& wf) {
          *wf.mutable_cancel() = MakeNote("cs:wang", "changed mind", clock_.Now());
        });
        return id;
      }
      case v1::CANCELLED: {
        std::string id = Place(Request(order::v1::COD, 2), "k").order_id();
        EXPECT_TRUE(Cancel(id).ok());
        return id;
      }
      default:
        ADD_FAILURE() << "no recipe for " << v1::Stage_Name(stage);
        return "";
    }
  }

  void CancelLabelDirectly(const std::string& shipment_id) {
    grpc::ClientContext context;
    logistics::v1::CancelShipmentRequest cancel;
    cancel.set_shipment_id(shipment_id);
    logistics::v1::Shipment cancelled;
    EXPECT_TRUE(logistics_stub_->CancelShipment(&context, cancel, &cancelled).ok());
  }

  void TrackAll(const std::string& order_id, logistics::v1::TrackingEvent::Code code) {
    for (const auto& s : Shipments(order_id)) {
      if (s.state() == logistics::v1::CANCELLED) continue;
      Track(s, code, absl::StrCat(s.shipment_id(), ":", code, ":", ++events_));
    }
  }

  absl::StatusOr<v1::ExceptionTicket> Complaint(const std::string& order_id) {
    v1::OpenExceptionRequest complaint;
    complaint.set_order_id(order_id);
    complaint.set_type(v1::CUSTOMER_COMPLAINT);
    complaint.set_description("model test");
    return orchestrator_->tickets().OpenByPerson(complaint);
  }

  // The customer's money arrives. An order that ended (cancelled, rejected) refuses it: the
  // payer gets it back, and the order stays as it was.
  absl::Status PaymentArrives(const std::string& order_id) {
    order::v1::Order order = Order(order_id);
    if (order.payment().status() != order::v1::Payment::UNPAID) return absl::OkStatus();
    grpc::Status status = PayTotal(order_id);
    bool ended = order.status() == order::v1::CANCELLED || order.status() == order::v1::REJECTED;
    if (ended && status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      return absl::OkStatus();
    }
    return status.ok() ? absl::OkStatus()
                       : absl::InternalError(absl::StrCat("payment: ", status.error_message()));
  }

  absl::Status Review(const std::string& order_id, bool approve) {
    v1::ReviewOrderRequest request;
    request.set_order_id(order_id);
    request.set_reviewer("reviewer:chen");
    return (approve ? orchestrator_->review_desk().Approve(request)
                    : orchestrator_->review_desk().Reject(request))
        .status();
  }

  absl::Status AmendLines(const std::string& order_id) {
    return orchestrator_->commands().Amend(TeaAmendment(order_id, 3)).status();
  }

  // The command's answer, or OK for events (which cannot be refused).
  absl::Status Apply(const std::string& id, Action action) {
    switch (action) {
      case Action::kCancel:
        return Cancel(id).status();
      case Action::kHold:
        return Hold(id).status();
      case Action::kRelease:
        return ReleaseHold(id).status();
      case Action::kAmendAddress:
        return MoveTo(id, "North").status();
      case Action::kAmendLines:
        return AmendLines(id);
      case Action::kRefund:
      case Action::kRetry: {
        absl::StatusOr<v1::ExceptionTicket> ticket = Complaint(id);
        if (!ticket.ok()) return ticket.status();
        return Resolve(ticket->ticket_id(), action == Action::kRefund ? v1::REFUND : v1::RETRY)
            .status();
      }
      case Action::kApprove:
      case Action::kReject:
        return Review(id, action == Action::kApprove);
      case Action::kPayment:
        return PaymentArrives(id);
      case Action::kBackorderFilled:
        Receive("TEA-LONGJING-250G", 10);
        return absl::OkStatus();
      case Action::kPickup:
        TrackAll(id, logistics::v1::TrackingEvent::PICKED_UP);
        return absl::OkStatus();
      case Action::kDelay:
      case Action::kLoss:
        clock_.Advance(action == Action::kDelay ? absl::Hours(24 * 5) : absl::Hours(80));
        return logistics_service_->tracking().RunDetection().status();
      case Action::kDelivered:
        TrackAll(id, logistics::v1::TrackingEvent::DELIVERED);
        return absl::OkStatus();
      case Action::kDeliveryFailed:
        TrackAll(id, logistics::v1::TrackingEvent::DELIVERY_FAILED);
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  void CheckInvariants(const std::string& id, const std::string& what) {
    SCOPED_TRACE(what);
    v1::Workflow wf = Workflow(id);
    order::v1::Order order = Order(id);
    // The status is one the stage allows.
    if (wf.stage() != v1::CANCELLING) {
      EXPECT_TRUE(StatusFits(wf) && wf.order_status() == order.status())
          << "stage " << v1::Stage_Name(wf.stage()) << " with order "
          << order::v1::OrderStatus_Name(order.status());
    }
    std::vector<inventory::v1::Reservation> held = Reservations(id);
    std::vector<logistics::v1::Shipment> live;
    std::set<std::string> picked_up;
    for (const auto& s : Shipments(id)) {
      if (s.state() == logistics::v1::CANCELLED || !s.reship_of().empty()) continue;
      live.push_back(s);
      if (s.progress() != logistics::v1::CREATED) picked_up.insert(s.shipment_id());
    }
    bool ended = order.status() == order::v1::CANCELLED || order.status() == order::v1::REJECTED;
    if (ended) {
      EXPECT_TRUE(wf.stage() == v1::CANCELLED || wf.stage() == v1::REJECTED)
          << v1::Stage_Name(wf.stage());
      EXPECT_TRUE(held.empty()) << "a cancelled order holds stock";
      EXPECT_TRUE(Backorders(id).empty()) << "a cancelled order holds a queue place";
      EXPECT_TRUE(live.empty()) << "a cancelled order has a live label";
    }
    if (order.payment().status() == order::v1::Payment::REFUNDED && picked_up.empty()) {
      EXPECT_TRUE(live.empty()) << "a refunded order still has a label";
    }
    std::set<std::string> labelled;
    for (const auto& s : live) {
      EXPECT_TRUE(labelled.insert(s.warehouse_id()).second)
          << "two live labels at " << s.warehouse_id();
    }
    if (wf.stage() == v1::AWAITING_PICKUP) {
      std::set<std::string> holding;
      int64_t units = 0, wanted = 0;
      for (const auto& r : held) {
        holding.insert(r.warehouse_id());
        units += r.quantity();
      }
      for (const auto& line : order.lines()) wanted += line.quantity();
      EXPECT_EQ(holding, labelled);
      EXPECT_EQ(units, wanted);
    }
    EXPECT_TRUE(InventoryClean());
  }

  int events_ = 0;
};

TEST_P(WorkflowModelTest, InvariantsHoldAfterEveryCommandAndEvent) {
  auto [stage, action] = GetParam();
  std::string id = Reach(stage);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Workflow(id).stage(), stage) << "the recipe for " << v1::Stage_Name(stage);
  absl::Status answer = Apply(id, action);
  if (IsCommand(action)) {
    EXPECT_TRUE(answer.ok() || answer.code() == absl::StatusCode::kFailedPrecondition)
        << Name(action) << " at " << v1::Stage_Name(stage) << ": " << answer;
  } else {
    EXPECT_TRUE(answer.ok()) << answer;
  }
  Pump();
  CheckInvariants(
      id, absl::StrCat(Name(action), " at ", v1::Stage_Name(stage), ": ", answer.ToString()));
  // And whatever follows: the carrier collects what is there to collect.
  TrackAll(id, logistics::v1::TrackingEvent::PICKED_UP);
  Pump();
  CheckInvariants(
      id, absl::StrCat("then a pickup, after ", Name(action), " at ", v1::Stage_Name(stage)));
}

INSTANTIATE_TEST_SUITE_P(EveryStageEveryAction, WorkflowModelTest,
                         ::testing::Combine(::testing::ValuesIn(kStages),
                                            ::testing::ValuesIn(kActions)),
                         [](const ::testing::TestParamInfo<WorkflowModelTest::ParamType>& info) {
                           return absl::StrCat(v1::Stage_Name(std::get<0>(info.param)), "_",
                                               Name(std::get<1>(info.param)));
                         });

}  // namespace
}  // namespace oms::orchestrator
