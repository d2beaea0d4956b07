#include "orchestrator_svc/satisfaction.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/feedback_requests.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/satisfaction_store.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/security/key_store.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

absl::Status CheckFeedback(const v1::SubmitFeedbackRequest& request) {
  FieldErrors errors;
  errors.Required(request.token(), "token");
  errors.Check(request.rating() >= 1 && request.rating() <= 5, "rating", "must be 1 to 5");
  errors.MaxLength(request.comment(), 2000, "comment");
  errors.Check(request.tags_size() <= 10, "tags", "at most 10");
  for (int i = 0; i < request.tags_size(); ++i) {
    errors.MaxLength(request.tags(i), 32, IndexedField("tags", i, ""));
  }
  return errors.ToStatus();
}

absl::Status CheckProposal(const v1::ProposeCompensationRequest& request) {
  FieldErrors errors;
  errors.Required(request.ticket_id(), "ticket_id");
  errors.Check(request.kind() != v1::COMPENSATION_KIND_UNSPECIFIED &&
                   v1::CompensationKind_IsValid(request.kind()),
               "kind", "must be COUPON, STORE_CREDIT, PARTIAL_REFUND or FREE_RESHIP");
  errors.Check(request.amount().minor_units() > 0 && !request.amount().currency_code().empty(),
               "amount", "must be > 0 with a currency_code");
  if (errors.Required(request.reason(), "reason"))
    errors.MaxLength(request.reason(), 500, "reason");
  return errors.ToStatus();
}

}  // namespace

absl::StatusOr<v1::Feedback> Satisfaction::Submit(const v1::SubmitFeedbackRequest& request) {
  OMS_RETURN_IF_ERROR(CheckFeedback(request));
  v1::Feedback answer;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "SubmitFeedback", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::optional<store::FeedbackRequestRow> asked,
                             store::FindFeedbackRequest(s, request.token()));
        if (!asked.has_value()) return absl::NotFoundError("no survey has this token");
        if (asked->answered) return absl::AlreadyExistsError("this survey was already answered");
        answer.set_feedback_id(context_->host().ids().Next("fb"));
        answer.set_order_id(asked->order_id);
        answer.set_ticket_id(asked->ticket_id);
        answer.set_rating(request.rating());
        answer.set_comment(request.comment());
        *answer.mutable_tags() = request.tags();
        *answer.mutable_submitted_at() = ToProtoTime(context_->Now());
        if (request.rating() <= context_->options().feedback_followup_rating) {
          TicketRequest followup{
              context_->options().feedback_followup_type,
              absl::StrCat("the customer rated ", request.rating(), "/5",
                           request.comment().empty() ? "" : ": ", request.comment()),
              ""};
          OMS_ASSIGN_OR_RETURN(v1::ExceptionTicket ticket,
                               tickets_->Open(s, asked->order_id, followup, "feedback"));
          answer.set_followup_ticket_id(ticket.ticket_id());
        }
        OMS_RETURN_IF_ERROR(store::InsertFeedback(s, answer));
        OMS_RETURN_IF_ERROR(store::MarkFeedbackAnswered(s, request.token()));
        v1::FeedbackSubmitted submitted;
        *submitted.mutable_feedback() = answer;
        return context_->host().outbox().Append(s, answer.order_id(), submitted).status();
      }));
  return answer;
}

absl::StatusOr<v1::ListFeedbackResponse> Satisfaction::ListFeedback(
    const v1::ListFeedbackRequest& request) {
  if (request.order_id().empty() && request.ticket_id().empty()) {
    return absl::InvalidArgumentError("order_id: or ticket_id is required");
  }
  v1::ListFeedbackResponse response;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Feedback> found,
                         store::ListFeedback(s, request.order_id(), request.ticket_id()));
    for (v1::Feedback& f : found) *response.add_feedback() = std::move(f);
    return absl::OkStatus();
  }));
  return response;
}

// A refund must fit what is left of the order's payment. Checked before anything is stored:
// otherwise the proposal would wait for an approval that could never be carried out.
absl::Status Satisfaction::CheckRefundable(const v1::ProposeCompensationRequest& request) {
  absl::StatusOr<v1::ExceptionTicket> ticket;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    ticket = store::LoadTicket(s, request.ticket_id());
    return absl::OkStatus();
  }));
  if (!ticket.ok()) return absl::OkStatus();  // the proposal itself answers NOT_FOUND
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(ticket->order_id()));
  if (!order::WasPaid(order.payment())) {
    return absl::FailedPreconditionError(
        absl::StrCat("order ", order.order_id(), " is not paid (",
                     order::v1::PaymentMethod_Name(order.payment_method()),
                     "): there is nothing to refund; propose a COUPON or STORE_CREDIT"));
  }
  int64_t left = order::RefundableMinor(order.payment());
  if (request.amount().minor_units() > left) {
    return absl::InvalidArgumentError(absl::StrCat(
        "amount: at most ", MoneyText(left, order.currency_code()), " is left of order ",
        order.order_id(), "'s payment of ", MoneyText(order.payment().amount())));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Compensation> Satisfaction::Propose(
    const v1::ProposeCompensationRequest& request) {
  OMS_RETURN_IF_ERROR(CheckProposal(request));
  v1::Compensation proposed;
  OMS_ASSIGN_OR_RETURN(bool seen,
                       context_->host().idempotency().Seen(
                           "ProposeCompensation", request.idempotency_key(), request, &proposed));
  if (!seen && request.kind() == v1::PARTIAL_REFUND) {
    OMS_RETURN_IF_ERROR(CheckRefundable(request));
  }
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "ProposeCompensation", request.idempotency_key(), request, &proposed,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::ExceptionTicket ticket, store::LoadTicket(s, request.ticket_id()));
        OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                             store::FindWorkflow(s, ticket.order_id()));
        if (v.has_value() &&
            v->workflow.total().currency_code() != request.amount().currency_code()) {
          return absl::InvalidArgumentError(absl::StrCat("amount: must be in the order's currency ",
                                                         v->workflow.total().currency_code()));
        }
        proposed.set_compensation_id(context_->host().ids().Next("cmp"));
        proposed.set_ticket_id(ticket.ticket_id());
        proposed.set_order_id(ticket.order_id());
        proposed.set_kind(request.kind());
        *proposed.mutable_amount() = request.amount();
        proposed.set_reason(request.reason());
        proposed.set_status(v1::Compensation::AWAITING_APPROVAL);
        proposed.set_proposed_by(auth::CurrentActor());
        if (request.kind() == v1::COUPON) {
          proposed.set_coupon_code(absl::StrCat("CPN-", auth::RandomHex(6)));
        }
        *proposed.mutable_created_at() = ToProtoTime(context_->Now());
        return store::SaveCompensation(s, proposed);
      }));
  // Within the proposer's own limit it is granted now; above it, it waits for a second person.
  if (!context_->options()
           .compensation_limits
           .CheckCovers(auth::CurrentPrincipal(), proposed.amount().minor_units(), "")
           .ok()) {
    return proposed;
  }
  return Grant(proposed.compensation_id(), "");
}

absl::StatusOr<v1::Compensation> Satisfaction::Approve(
    const v1::ApproveCompensationRequest& request) {
  std::optional<v1::Compensation> found;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(found, store::FindCompensation(s, request.compensation_id()));
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("compensation ", request.compensation_id(), " does not exist"));
  }
  if (found->status() == v1::Compensation::GRANTED) return *found;
  const auth::Principal& approver = auth::CurrentPrincipal();
  if (!approver.name.empty() && approver.name == found->proposed_by()) {
    return absl::FailedPreconditionError(
        "a compensation above the proposer's limit needs a second approver, not the proposer");
  }
  OMS_RETURN_IF_ERROR(context_->options().compensation_limits.CheckCovers(
      approver, found->amount().minor_units(),
      absl::StrCat("compensation ", found->compensation_id())));
  return Grant(found->compensation_id(), auth::CurrentActor());
}

absl::StatusOr<v1::ListCompensationsResponse> Satisfaction::ListCompensations(
    const v1::ListCompensationsRequest& request) {
  if (request.order_id().empty() && request.ticket_id().empty()) {
    return absl::InvalidArgumentError("ticket_id: or order_id is required");
  }
  v1::ListCompensationsResponse response;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Compensation> found,
                         store::ListCompensations(s, request.ticket_id(), request.order_id()));
    for (v1::Compensation& c : found) *response.add_compensations() = std::move(c);
    return absl::OkStatus();
  }));
  return response;
}

absl::Status Satisfaction::CarryOut(v1::Compensation& c) {
  if (c.kind() == v1::FREE_RESHIP) {
    v1::GetExceptionRequest get;
    get.set_ticket_id(c.ticket_id());
    OMS_ASSIGN_OR_RETURN(v1::ExceptionTicket ticket, tickets_->Get(get));
    return resolutions_->ReshipAsCompensation(c.compensation_id(), c.order_id(),
                                              ticket.shipment_id());
  }
  if (c.kind() != v1::PARTIAL_REFUND) return absl::OkStatus();  // recorded and notified
  order::v1::RecordPaymentRequest refund;
  refund.set_idempotency_key(absl::StrCat(c.compensation_id(), ":refund"));
  refund.set_order_id(c.order_id());
  refund.set_status(order::v1::Payment::REFUNDED);
  *refund.mutable_amount() = c.amount();
  refund.set_reference(absl::StrCat("compensation ", c.compensation_id()));
  refund.set_actor(c.approved_by().empty() ? c.proposed_by() : c.approved_by());
  return context_->peers().order->RecordPayment(refund).status();
}

absl::StatusOr<v1::Compensation> Satisfaction::Grant(const std::string& compensation_id,
                                                     const std::string& approver) {
  std::optional<v1::Compensation> c;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(c, store::FindCompensation(s, compensation_id));
    return absl::OkStatus();
  }));
  if (!c.has_value()) return absl::NotFoundError(compensation_id);
  if (c->status() == v1::Compensation::GRANTED) return *c;
  c->set_approved_by(approver);
  OMS_RETURN_IF_ERROR(CarryOut(*c));  // before it is recorded granted: nothing half-granted
  v1::Compensation granted;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::optional<v1::Compensation> now,
                         store::FindCompensation(s, compensation_id));
    granted = *now;
    if (granted.status() == v1::Compensation::GRANTED) return absl::OkStatus();  // raced
    granted.set_status(v1::Compensation::GRANTED);
    granted.set_approved_by(approver);
    *granted.mutable_granted_at() = ToProtoTime(context_->Now());
    OMS_RETURN_IF_ERROR(store::SaveCompensation(s, granted));
    v1::CompensationGranted event;
    *event.mutable_compensation() = granted;
    return context_->host().outbox().Append(s, granted.order_id(), event).status();
  }));
  return granted;
}

}  // namespace oms::orchestrator
