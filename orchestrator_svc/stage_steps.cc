// The dispatch from a stage to its step, the steps of the waiting stages, and the undoing
// of a half-done step. The working steps are in their own files (stage_steps.h lists them).
#include "orchestrator_svc/stage_steps.h"

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {

absl::Status StageSteps::Run(v1::Workflow& wf, Learned& learned, StepOutcome& out) {
  switch (wf.stage()) {
    case v1::RECEIVED:
      return Review(wf, learned, out);
    case v1::AWAITING_PAYMENT:
      return AwaitPayment(wf, out);
    case v1::ALLOCATING:
      return Allocate(wf, learned);
    case v1::SHIPPING:
      return Ship(wf, learned, out);
    case v1::AWAITING_PICKUP:
      return AwaitPickup(wf);
    case v1::IN_TRANSIT:
      return FollowParcels(wf);
    case v1::DELIVERED:
      return Complete(wf);
    case v1::CANCELLING:
      return Cancel(wf, out);
    default:
      // PENDING_REVIEW, BACKORDERED, ON_HOLD and the final stages wait for a person or an
      // event (their overdue tickets are the engine's).
      Rest(wf, context_->Now());
      return absl::OkStatus();
  }
}

absl::Status StageSteps::AwaitPayment(v1::Workflow& wf, StepOutcome& out) {
  absl::Time now = context_->Now();
  if (wf.paid()) {
    Enter(wf, v1::ALLOCATING, now, context_->options());
    return absl::OkStatus();
  }
  if (!wf.has_stage_deadline() || now < FromProtoTime(wf.stage_deadline())) {
    Rest(wf, now);
    return absl::OkStatus();
  }
  // Unpaid past the timeout: cancelled, unless the type's rule leaves it to a person.
  std::optional<v1::ExceptionRule> rule;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(rule, store::FindExceptionRule(s, v1::PAYMENT_TIMEOUT));
    return absl::OkStatus();
  }));
  if (rule.has_value() && !rule->auto_cancel_order()) {
    Rest(wf, now);  // parked: PaymentRecorded still wakes it
    return absl::OkStatus();
  }
  out.ticket =
      TicketRequest{v1::PAYMENT_TIMEOUT, "no payment before the timeout: order cancelled", ""};
  *wf.mutable_cancel() = MakeNote("orchestrator", "payment not received in time", now);
  Enter(wf, v1::CANCELLING, now, context_->options());
  return absl::OkStatus();
}

absl::Status StageSteps::Compensate(v1::Workflow& wf) {
  Undo undo = SpecOf(wf.stage()).undo;
  if (undo != Undo::kReleaseStock && undo != Undo::kCancelLabelsAndReleaseStock) {
    return absl::OkStatus();
  }
  std::string why = absl::StrCat("workflow stopped at ", v1::Stage_Name(wf.stage()));
  if (undo == Undo::kCancelLabelsAndReleaseStock) {
    OMS_RETURN_IF_ERROR(CancelLabels(wf, /*keep_live=*/false, why).status());
  }
  OMS_RETURN_IF_ERROR(context_->peers().inventory->ReleaseAll(
      StepKey(wf.order_id(), absl::StrCat("compensate:r", wf.revision())), wf.order_id(), why));
  wf.set_allocation_requested(false);
  wf.clear_warehouses();
  wf.clear_amendment();
  wf.set_compensated(true);
  return absl::OkStatus();
}

}  // namespace oms::orchestrator
