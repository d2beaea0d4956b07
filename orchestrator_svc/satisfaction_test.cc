// Satisfaction over fake peers: a survey token answered once, a low rating opening its
// follow-up, and compensation within and above approval limits (a second approver with a
// high enough limit; a refund carried out through the order's payment record).
#include "orchestrator_svc/satisfaction.h"

#include "orchestrator_svc/feedback_requests.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/satisfaction_store.h"
#include "orchestrator_svc/testing/fake_peers_fixture.h"
#include "order_svc/test_orders.h"
#include "platform/base/status.h"
#include "platform/security/call_info.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

using security::v1::CUSTOMER_SERVICE;
using security::v1::OPS;

class SatisfactionTest : public testing::FakePeersFixture {
 protected:
  void SetUp() override {
    FakePeersFixture::SetUp();
    OrchestratorOptions options;
    options.compensation_limits = *auth::ApprovalLimits::Parse("CUSTOMER_SERVICE=20000,OPS=100000");
    orchestrator_ = std::make_unique<Orchestrator>(
        host_.get(), Peers{&orders_, &inventory_, &logistics_}, options);
    v1::PlaceOrderRequest place;
    place.set_idempotency_key("place-1");
    *place.mutable_order() = order::SampleCreateOrder("WEB-1");
    absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(place);
    ASSERT_TRUE(placed.ok()) << placed.status();
    order_id_ = placed->order_id();
    order::v1::Order& order = orders_.orders[order_id_];
    order.mutable_total()->set_minor_units(60000);
    order::v1::RecordPaymentRequest pay;
    pay.set_order_id(order_id_);
    pay.set_status(order::v1::Payment::PAID);
    *pay.mutable_amount() = order.total();
    ASSERT_TRUE(orders_.RecordPayment(pay).ok());
  }

  // A survey for the order (as a delivery or a resolved ticket asks): its token.
  std::string Survey(const std::string& ticket_id = "") {
    absl::StatusOr<std::string> token;
    EXPECT_TRUE(host_->db()
                    .Transact([&](Session& s) -> absl::Status {
                      WorkflowContext context(host_.get(),
                                              Peers{&orders_, &inventory_, &logistics_},
                                              OrchestratorOptions());
                      token = RequestFeedback(s, context, order_id_, ticket_id);
                      return token.status();
                    })
                    .ok());
    return token.ok() ? *token : "";
  }

  absl::StatusOr<v1::Feedback> Rate(const std::string& token, int rating) {
    v1::SubmitFeedbackRequest request;
    request.set_token(token);
    request.set_rating(rating);
    request.set_comment("box was crushed");
    request.add_tags("damaged");
    return orchestrator_->satisfaction().Submit(request);
  }

  std::string Ticket() {
    v1::OpenExceptionRequest open;
    open.set_order_id(order_id_);
    open.set_type(v1::CUSTOMER_COMPLAINT);
    open.set_description("late and damaged");
    absl::StatusOr<v1::ExceptionTicket> ticket = orchestrator_->tickets().OpenByPerson(open);
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    return ticket.ok() ? ticket->ticket_id() : "";
  }

  absl::StatusOr<v1::Compensation> Propose(const std::string& as, security::v1::Role role,
                                           v1::CompensationKind kind, int64_t amount) {
    auth::CallInfo call;
    call.principal = {as, {role}, ""};
    auth::CallScope scope(&call);
    v1::ProposeCompensationRequest request;
    request.set_ticket_id(ticket_id_);
    request.set_kind(kind);
    request.mutable_amount()->set_currency_code("CNY");
    request.mutable_amount()->set_minor_units(amount);
    request.set_reason("sorry for the crushed box");
    return orchestrator_->satisfaction().Propose(request);
  }

  absl::StatusOr<v1::Compensation> Approve(const std::string& as, security::v1::Role role,
                                           const std::string& id) {
    auth::CallInfo call;
    call.principal = {as, {role}, ""};
    auth::CallScope scope(&call);
    v1::ApproveCompensationRequest request;
    request.set_compensation_id(id);
    return orchestrator_->satisfaction().Approve(request);
  }

  std::string order_id_;
  std::string ticket_id_;
};

TEST_F(SatisfactionTest, ALowRatingOpensAFollowUpAndASurveyIsAnsweredOnce) {
  std::string token = Survey();
  ASSERT_EQ(token.size(), 32u);  // 128 random bits
  absl::StatusOr<v1::Feedback> low = Rate(token, 1);
  ASSERT_TRUE(low.ok()) << low.status();
  EXPECT_EQ(low->order_id(), order_id_);
  ASSERT_FALSE(low->followup_ticket_id().empty());
  v1::GetExceptionRequest get;
  get.set_ticket_id(low->followup_ticket_id());
  absl::StatusOr<v1::ExceptionTicket> followup = orchestrator_->tickets().Get(get);
  ASSERT_TRUE(followup.ok()) << followup.status();
  EXPECT_EQ(followup->type(), v1::FEEDBACK_FOLLOWUP);
  EXPECT_NE(followup->description().find("rated 1/5"), std::string::npos);
  EXPECT_EQ(Rate(token, 5).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Rate("no-such-token", 5).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Rate(Survey(), 0).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::Feedback> good = Rate(Survey(), 5);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->followup_ticket_id().empty());
  v1::ListFeedbackRequest list;
  list.set_order_id(order_id_);
  EXPECT_EQ(orchestrator_->satisfaction().ListFeedback(list)->feedback_size(), 2);
}

TEST_F(SatisfactionTest, AResolvedTicketAsksForFeedbackButAFollowUpDoesNot) {
  std::string ticket = Ticket();
  v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(ticket);
  resolve.set_resolution(v1::CONTACT_CUSTOMER);
  resolve.set_actor("cs:ana");
  ASSERT_TRUE(orchestrator_->resolutions().Resolve(resolve).ok());
  int asked = 0;
  ASSERT_TRUE(host_->db()
                  .Read([&](Session& s) {
                    return s.ForEachRow(
                        "SELECT COUNT(*) FROM feedback_requests WHERE ticket_id = ?", {ticket},
                        [&](const Rows& r) {
                          asked = static_cast<int>(r.Int(0));
                          return absl::OkStatus();
                        });
                  })
                  .ok());
  EXPECT_EQ(asked, 1);
}

TEST_F(SatisfactionTest, CompensationAboveTheProposersLimitWaitsForASecondApprover) {
  ticket_id_ = Ticket();
  // Within support's 200.00: granted at once, a coupon code issued.
  absl::StatusOr<v1::Compensation> coupon = Propose("ana", CUSTOMER_SERVICE, v1::COUPON, 5000);
  ASSERT_TRUE(coupon.ok()) << coupon.status();
  EXPECT_EQ(coupon->status(), v1::Compensation::GRANTED);
  EXPECT_EQ(coupon->coupon_code().substr(0, 4), "CPN-");
  EXPECT_TRUE(coupon->approved_by().empty());
  // A 500.00 refund: above support's limit, it waits.
  absl::StatusOr<v1::Compensation> refund =
      Propose("ana", CUSTOMER_SERVICE, v1::PARTIAL_REFUND, 50000);
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->status(), v1::Compensation::AWAITING_APPROVAL);
  EXPECT_NE(orders_.orders[order_id_].payment().status(), order::v1::Payment::REFUNDED);
  // Not by the proposer, not by another support agent (same limit), but by ops.
  EXPECT_EQ(Approve("ana", CUSTOMER_SERVICE, refund->compensation_id()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Approve("bo", CUSTOMER_SERVICE, refund->compensation_id()).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Compensation> granted = Approve("olga", OPS, refund->compensation_id());
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(granted->status(), v1::Compensation::GRANTED);
  EXPECT_EQ(granted->approved_by(), "olga");
  const order::v1::Payment& payment = orders_.orders[order_id_].payment();
  EXPECT_EQ(payment.status(), order::v1::Payment::PARTIALLY_REFUNDED);  // of 600.00 paid
  EXPECT_EQ(payment.refunded().minor_units(), 50000);
  ASSERT_EQ(payment.refunds_size(), 1);
  EXPECT_EQ(payment.refunds(0).reference(), "compensation " + refund->compensation_id());
  // Approving again answers it as it is; the refund was asked once (after the payment).
  EXPECT_TRUE(Approve("olga", OPS, refund->compensation_id()).ok());
  EXPECT_EQ(orders_.faults.Calls("RecordPayment"), 2);
  v1::ListCompensationsRequest list;
  list.set_ticket_id(ticket_id_);
  EXPECT_EQ(orchestrator_->satisfaction().ListCompensations(list)->compensations_size(), 2);
}

// A refund must fit the payment: before, an unpaid order's or a too large refund was stored
// AWAITING_APPROVAL although no approval could ever carry it out.
TEST_F(SatisfactionTest, ARefundBeyondThePaymentIsRefusedAndNothingStored) {
  ticket_id_ = Ticket();
  absl::Status too_much = Propose("olga", OPS, v1::PARTIAL_REFUND, 60001).status();
  EXPECT_EQ(too_much.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_much.message().find("at most 600.00 CNY is left"), std::string::npos) << too_much;
  ASSERT_TRUE(Propose("olga", OPS, v1::PARTIAL_REFUND, 50000).ok());
  EXPECT_EQ(Propose("olga", OPS, v1::PARTIAL_REFUND, 10001).status().code(),
            absl::StatusCode::kInvalidArgument);  // 100.00 is left
  orders_.orders[order_id_].mutable_payment()->set_status(order::v1::Payment::UNPAID);
  absl::Status unpaid = Propose("olga", OPS, v1::PARTIAL_REFUND, 100).status();
  EXPECT_EQ(unpaid.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(unpaid.message().find("nothing to refund"), std::string::npos) << unpaid;
  EXPECT_TRUE(Propose("olga", OPS, v1::COUPON, 100).ok());  // a coupon needs no payment
  v1::ListCompensationsRequest list;
  list.set_ticket_id(ticket_id_);
  EXPECT_EQ(orchestrator_->satisfaction().ListCompensations(list)->compensations_size(), 2);
}

TEST_F(SatisfactionTest, AProposalIsCheckedFieldByField) {
  v1::ProposeCompensationRequest bad;
  absl::Status refused = orchestrator_->satisfaction().Propose(bad).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"ticket_id", "kind", "amount", "reason"}) {
    EXPECT_NE(refused.message().find(field), std::string::npos) << field;
  }
  ticket_id_ = "tkt_nope";
  EXPECT_EQ(Propose("ana", CUSTOMER_SERVICE, v1::COUPON, 100).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace oms::orchestrator
