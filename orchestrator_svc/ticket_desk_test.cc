// Exception tickets: assignment by the type's rule, escalation when overdue, the default
// rule for types without one.
// Against real in-process services (testing/orchestrator_fixture.h).
#include "absl/strings/match.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"

namespace oms::orchestrator {
namespace {

class TicketDeskTest : public testing::OrchestratorFixture {};

TEST_F(TicketDeskTest, TicketsAreAssignedRoundRobinAndEscalateWhenOverdue) {
  v1::SaveExceptionRuleRequest rule;
  rule.mutable_rule()->set_type(v1::CUSTOMER_COMPLAINT);
  rule.mutable_rule()->set_severity(v1::HIGH);
  rule.mutable_rule()->set_group("customer-care");
  rule.mutable_rule()->add_members("cs:wang");
  rule.mutable_rule()->add_members("cs:li");
  rule.mutable_rule()->set_lead("cs:lead-zhao");
  rule.mutable_rule()->mutable_sla()->set_seconds(3600);
  ASSERT_TRUE(orchestrator_->tickets().SaveRule(rule).ok());
  std::vector<std::string> assignees;
  std::vector<std::string> tickets;
  for (int i = 0; i < 3; ++i) {
    v1::PlaceOrderResponse placed =
        Place(order::SampleCreateOrder("WEB-" + std::to_string(i)), "k" + std::to_string(i));
    v1::OpenExceptionRequest complaint;
    complaint.set_order_id(placed.order_id());
    complaint.set_type(v1::CUSTOMER_COMPLAINT);
    complaint.set_description("late");
    absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(complaint);
    ASSERT_TRUE(ticket.ok());
    EXPECT_EQ(ticket->severity(), v1::HIGH);
    assignees.push_back(ticket->assignee());
    tickets.push_back(ticket->ticket_id());
  }
  EXPECT_EQ(assignees, (std::vector<std::string>{"cs:wang", "cs:li", "cs:wang"}));
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 0);
  clock_.Advance(absl::Minutes(61));
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 3);
  EXPECT_EQ(*orchestrator_->tickets().EscalateOverdue(), 0);  // due again an hour later, not now
  v1::GetExceptionRequest get;
  get.set_ticket_id(tickets[0]);
  v1::ExceptionTicket escalated = *orchestrator_->tickets().Get(get);
  EXPECT_EQ(escalated.escalation_level(), 1);
  EXPECT_EQ(escalated.assignee(), "cs:lead-zhao");
  EXPECT_EQ(escalated.history().rbegin()->action(), "escalated");
  // Escalation moved the due time, but the tickets missed their SLA: still overdue.
  v1::ListExceptionsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_EQ(orchestrator_->tickets().List(overdue)->tickets_size(), 3);
  v1::ListExceptionsRequest mine;
  mine.set_assignee("cs:lead-zhao");
  EXPECT_EQ(orchestrator_->tickets().List(mine)->tickets_size(), 3);
}

TEST_F(TicketDeskTest, TicketsWithoutARuleFollowTheDefaultRule) {
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

TEST_F(TicketDeskTest, AProcessAnomalyTicketIsAboutASubjectNotAnOrder) {
  v1::OpenExceptionRequest open;
  open.set_type(v1::PROCESS_ANOMALY);
  open.set_description("carrier sf: parcels found late on 18 of 60 (30.0%)");
  auto missing = orchestrator_->tickets().OpenByPerson(open);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "subject")) << missing.status();
  open.set_subject("delay_rate carrier sf");
  open.set_anomaly_id("anm_1");
  open.set_idempotency_key("anomaly/anm_1");
  open.set_actor("analytics_svc");
  absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(open);
  ASSERT_TRUE(ticket.ok()) << ticket.status();
  EXPECT_EQ(ticket->order_id(), "");
  EXPECT_EQ(ticket->subject(), "delay_rate carrier sf");
  EXPECT_EQ(ticket->anomaly_id(), "anm_1");
  EXPECT_EQ(ticket->assignee(), "support");  // routed by the (default) rule like any ticket
  // One open ticket per subject: a second detection of it joins the first.
  open.set_idempotency_key("anomaly/anm_2");
  open.set_anomaly_id("anm_2");
  EXPECT_EQ(orchestrator_->tickets().OpenByPerson(open)->ticket_id(), ticket->ticket_id());
  open.set_subject("delay_rate carrier jd");
  open.set_idempotency_key("anomaly/anm_3");
  EXPECT_NE(orchestrator_->tickets().OpenByPerson(open)->ticket_id(), ticket->ticket_id());
  // Nothing to reship or refund; NO_ACTION resolves it, and no survey is sent.
  EXPECT_EQ(Resolve(ticket->ticket_id(), v1::RESHIP).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::ExceptionTicket> resolved = Resolve(ticket->ticket_id(), v1::NO_ACTION);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->status(), v1::ExceptionTicket::RESOLVED);
  int64_t surveys = -1;
  ASSERT_TRUE(host_->db()
                  .Read([&](Session& s) {
                    return s.ForEachRow("SELECT COUNT(*) FROM feedback_requests", {},
                                        [&](const Rows& row) {
                                          surveys = row.Int(0);
                                          return absl::OkStatus();
                                        });
                  })
                  .ok());
  EXPECT_EQ(surveys, 0);
  // An order's ticket still needs its order.
  v1::OpenExceptionRequest complaint;
  complaint.set_type(v1::CUSTOMER_COMPLAINT);
  complaint.set_description("late");
  EXPECT_EQ(orchestrator_->tickets().OpenByPerson(complaint).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace oms::orchestrator
