// CANCELLING: undoes everything an order holds, in the order that keeps goods from going
// out: labels first (the carrier must not take a parcel of a cancelled order), then the
// stock (reservations and backorder queue places), then the money, then the order's status.
// Every call is idempotent, so a crash or a stopping peer anywhere resumes here. A parcel
// the carrier took before its label could be cancelled makes the cancel too late: the
// workflow follows that parcel and a LATE_CHANGE ticket asks a person to arrange a return.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/status.h"

namespace oms::orchestrator {

absl::Status StageSteps::Cancel(v1::Workflow& wf, StepOutcome& out) {
  const v1::CommandNote& note = wf.cancel();
  absl::Time now = context_->Now();
  std::string why = absl::StrCat("order cancelled: ", note.reason());
  OMS_ASSIGN_OR_RETURN(std::vector<std::string> too_late,
                       CancelLabels(wf, /*keep_live=*/false, why));
  if (!too_late.empty()) {
    out.ticket = TicketRequest{v1::LATE_CHANGE,
                               absl::StrCat("cancel asked by ", note.actor(), " (", note.reason(),
                                            ") came after the carrier picked up parcel ",
                                            absl::StrJoin(too_late, ", "), ": arrange a return"),
                               too_late.front()};
    wf.clear_cancel();
    Enter(wf, v1::IN_TRANSIT, now, context_->options());
    return absl::OkStatus();
  }
  OMS_RETURN_IF_ERROR(context_->peers().inventory->ReleaseAll(
      StepKey(wf.order_id(), "cancel:release"), wf.order_id(), why));
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(wf.order_id()));
  // What is left of the payment: a goodwill refund may have taken part of it already.
  if (int64_t left = order::RefundableMinor(order.payment()); left > 0) {
    order::v1::RecordPaymentRequest refund;
    refund.set_idempotency_key(StepKey(wf.order_id(), "cancel:refund"));
    refund.set_order_id(wf.order_id());
    refund.set_status(order::v1::Payment::REFUNDED);
    refund.mutable_amount()->set_currency_code(order.currency_code());
    refund.mutable_amount()->set_minor_units(left);
    refund.set_reference("order cancelled");
    refund.set_actor(note.actor());
    OMS_RETURN_IF_ERROR(context_->peers().order->RecordPayment(refund).status());
  }
  wf.set_paid(false);
  wf.set_order_status(order.status());  // CANCELLED already when cancelled in order_svc
  *wf.mutable_status_note() = note;
  Enter(wf, v1::CANCELLED, now, context_->options());
  return absl::OkStatus();
}

}  // namespace oms::orchestrator
