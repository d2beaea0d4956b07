// From label to completion: AWAITING_PICKUP waits for the carrier (a pickup scan or
// ConfirmPickup), IN_TRANSIT turns each picked-up parcel's reservations into stock that
// left and waits for every delivery, DELIVERED records cash on delivery and completes.
#include "absl/strings/str_cat.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"

namespace oms::orchestrator {

absl::Status StageSteps::AwaitPickup(v1::Workflow& wf) {
  absl::Time now = context_->Now();
  // A label cancelled in logistics (not by this workflow) is made again.
  bool remake = false;
  for (v1::WorkflowShipment& s : *wf.mutable_shipments()) {
    if (!s.superseded() && !s.replaced() && StateOf(s) == logistics::v1::CANCELLED) {
      s.set_superseded(true);
      remake = true;
    }
  }
  if (AnyLivePickedUp(wf)) {
    Enter(wf, v1::IN_TRANSIT, now, context_->options());
  } else if (remake) {
    wf.set_revision(wf.revision() + 1);
    Enter(wf, v1::SHIPPING, now, context_->options());
  } else {
    Rest(wf, now);
  }
  return absl::OkStatus();
}

absl::Status StageSteps::FollowParcels(v1::Workflow& wf) {
  // Reservations leave stock when their parcel is picked up.
  for (v1::WorkflowShipment& s : *wf.mutable_shipments()) {
    if (PickedUp(s) && !s.committed() && !s.superseded()) {
      OMS_RETURN_IF_ERROR(context_->peers().inventory->Commit(
          StepKey(s.allocation_id(), "commit:" + s.warehouse_id()), s.allocation_id(),
          s.warehouse_id()));
      s.set_committed(true);
    }
  }
  absl::Time now = context_->Now();
  if (AllLiveDelivered(wf)) {
    Enter(wf, v1::DELIVERED, now, context_->options());
  } else {
    Rest(wf, now);
  }
  return absl::OkStatus();
}

absl::Status StageSteps::Complete(v1::Workflow& wf) {
  if (wf.payment_method() == order::v1::COD && !wf.paid()) {
    order::v1::RecordPaymentRequest pay;
    pay.set_idempotency_key(StepKey(wf.order_id(), "pay:cod"));
    pay.set_order_id(wf.order_id());
    pay.set_status(order::v1::Payment::PAID);
    *pay.mutable_amount() = wf.total();
    pay.set_reference("cash on delivery");
    pay.set_actor("orchestrator");
    OMS_RETURN_IF_ERROR(context_->peers().order->RecordPayment(pay).status());
    wf.set_paid(true);
  }
  absl::Time now = context_->Now();
  if (wf.paid()) {
    Enter(wf, v1::COMPLETED, now, context_->options());
  } else {
    Rest(wf, now);  // CREDIT_TERMS: PaymentRecorded wakes it
  }
  return absl::OkStatus();
}

}  // namespace oms::orchestrator
