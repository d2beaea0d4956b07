#include "orchestrator_svc/lifecycle_commands.h"

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/amendment.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/security/channel_scope.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

constexpr int kMaxActor = 200;
constexpr int kMaxReason = 2000;

// The request as carried out: without an actor of its own, the caller's principal (the key's
// name) is who asked, not "system", in the order's history and the workflow's notes.
template <typename Request>
Request WithActor(const Request& asked) {
  Request request = asked;
  if (request.actor().empty()) request.set_actor(auth::CurrentActor());
  return request;
}

absl::Status CheckCommand(const std::string& order_id, const std::string& actor,
                          const std::string& reason, bool reason_required) {
  FieldErrors errors;
  errors.Required(order_id, "order_id");
  errors.MaxLength(order_id, 64, "order_id");
  errors.MaxLength(actor, kMaxActor, "actor");
  if (reason_required) errors.Required(reason, "reason");
  errors.MaxLength(reason, kMaxReason, "reason");
  return errors.ToStatus();
}

order::v1::UpdateOrderRequest OrderUpdateFor(const v1::AmendOrderRequest& request) {
  order::v1::UpdateOrderRequest update;
  if (!request.idempotency_key().empty()) {
    update.set_idempotency_key(StepKey(request.order_id(), "amend:" + request.idempotency_key()));
  }
  update.set_order_id(request.order_id());
  update.set_actor(request.actor());
  update.set_reason(request.reason());
  update.set_expected_version(request.expected_version());
  if (request.has_customer_name()) update.set_customer_name(request.customer_name());
  if (request.has_customer_phone()) update.set_customer_phone(request.customer_phone());
  if (request.has_customer_email()) update.set_customer_email(request.customer_email());
  if (request.has_shipping_address())
    *update.mutable_shipping_address() = request.shipping_address();
  if (request.has_lines()) *update.mutable_lines() = request.lines();
  if (request.has_notes()) update.set_notes(request.notes());
  update.set_urgency(request.urgency());
  if (request.has_requested_delivery_date()) {
    *update.mutable_requested_delivery_date() = request.requested_delivery_date();
  }
  update.set_workflow_amendment(true);
  return update;
}

// A key bound to a sales channel changes only that channel's orders.
absl::Status CheckScope(const v1::Workflow& wf) {
  if (wf.channel() == order::v1::CHANNEL_UNSPECIFIED) return absl::OkStatus();  // older record
  return auth::CheckChannel(auth::CurrentPrincipal(), order::v1::Channel_Name(wf.channel()));
}

bool SetsSomething(const v1::AmendOrderRequest& r) {
  return r.has_customer_name() || r.has_customer_phone() || r.has_customer_email() ||
         r.has_shipping_address() || r.has_lines() || r.has_notes() ||
         r.urgency() != order::v1::URGENCY_UNSPECIFIED || r.has_requested_delivery_date();
}

}  // namespace

absl::StatusOr<v1::Workflow> LifecycleCommands::AcceptIn(Session& s, const std::string& order_id,
                                                         Command command, Accept accept) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, store::FindWorkflow(s, order_id));
  if (!v.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workflow for order \"", order_id,
                                            "\" (orders not placed through PlaceOrder have none)"));
  }
  OMS_RETURN_IF_ERROR(CheckScope(v->workflow));
  OMS_RETURN_IF_ERROR(CheckAccepts(v->workflow, command));
  v1::Stage before = v->workflow.stage();
  std::string unchanged = SerializeProto(v->workflow);
  OMS_RETURN_IF_ERROR(accept(s, v->workflow));
  if (SerializeProto(v->workflow) != unchanged) {
    *v->workflow.mutable_updated_at() = ToProtoTime(context_->Now());
    OMS_RETURN_IF_ERROR(engine_->Save(s, *v, before));
  }
  return v->workflow;
}

absl::StatusOr<v1::Workflow> LifecycleCommands::CarryOut(const std::string& order_id) {
  Learned learned;
  OMS_RETURN_IF_ERROR(engine_->Advance(order_id, learned));
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, engine_->Find(order_id));
  if (!v.has_value()) return absl::NotFoundError(absl::StrCat("no workflow for order ", order_id));
  return v->workflow;
}

absl::StatusOr<v1::Workflow> LifecycleCommands::Cancel(const v1::CancelOrderRequest& asked) {
  const v1::CancelOrderRequest request = WithActor(asked);
  OMS_RETURN_IF_ERROR(CheckCommand(request.order_id(), request.actor(), request.reason(), true));
  v1::Workflow accepted;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "CancelOrder", request.idempotency_key(), request, &accepted,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(
            accepted,
            AcceptIn(s, request.order_id(), Command::kCancel,
                     [&](Session& s, v1::Workflow& wf) -> absl::Status {
                       if (wf.stage() == v1::CANCELLING || wf.stage() == v1::CANCELLED) {
                         return absl::OkStatus();  // already under way, or done
                       }
                       v1::CancellationRequested event;
                       event.set_order_id(wf.order_id());
                       event.set_from_stage(wf.stage());
                       event.set_actor(request.actor());
                       event.set_reason(request.reason());
                       *wf.mutable_cancel() =
                           MakeNote(request.actor(), request.reason(), context_->Now());
                       Enter(wf, v1::CANCELLING, context_->Now(), context_->options());
                       return context_->host().outbox().Append(s, wf.order_id(), event).status();
                     }));
        return absl::OkStatus();
      }));
  OMS_ASSIGN_OR_RETURN(v1::Workflow now, CarryOut(request.order_id()));
  if (now.stage() != v1::CANCELLING && now.stage() != v1::CANCELLED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "order ", request.order_id(),
        " could not be cancelled: the carrier picked up a parcel "
        "before its label was cancelled (see the order's LATE_CHANGE ticket); request a return"));
  }
  return now;
}

absl::StatusOr<v1::Workflow> LifecycleCommands::Hold(const v1::HoldOrderRequest& asked) {
  const v1::HoldOrderRequest request = WithActor(asked);
  OMS_RETURN_IF_ERROR(CheckCommand(request.order_id(), request.actor(), request.reason(), true));
  v1::Workflow accepted;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "HoldOrder", request.idempotency_key(), request, &accepted, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(
            accepted,
            AcceptIn(s, request.order_id(), Command::kHold,
                     [&](Session& s, v1::Workflow& wf) -> absl::Status {
                       if (wf.stage() == v1::ON_HOLD) return absl::OkStatus();  // held already
                       absl::Time now = context_->Now();
                       wf.set_held_stage(wf.stage());
                       wf.set_held_order_status(wf.order_status());
                       wf.set_holds(wf.holds() + 1);
                       *wf.mutable_status_note() = MakeNote(request.actor(), request.reason(), now);
                       *wf.mutable_hold() = wf.status_note();
                       Enter(wf, v1::ON_HOLD, now, context_->options());
                       v1::OrderHeld event;
                       event.set_order_id(wf.order_id());
                       event.set_held_stage(wf.held_stage());
                       event.set_actor(wf.status_note().actor());
                       event.set_reason(request.reason());
                       return context_->host().outbox().Append(s, wf.order_id(), event).status();
                     }));
        return absl::OkStatus();
      }));
  return CarryOut(request.order_id());
}

absl::StatusOr<v1::Workflow> LifecycleCommands::Release(const v1::ReleaseHoldRequest& asked) {
  const v1::ReleaseHoldRequest request = WithActor(asked);
  OMS_RETURN_IF_ERROR(CheckCommand(request.order_id(), request.actor(), request.reason(), false));
  v1::Workflow accepted;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "ReleaseHold", request.idempotency_key(), request, &accepted,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(
            accepted,
            AcceptIn(s, request.order_id(), Command::kRelease,
                     [&](Session& s, v1::Workflow& wf) -> absl::Status {
                       absl::Time now = context_->Now();
                       v1::Stage resume = wf.held_stage();
                       std::string reason =
                           request.reason().empty() ? "hold released" : request.reason();
                       *wf.mutable_status_note() = MakeNote(request.actor(), reason, now);
                       wf.clear_held_stage();
                       Enter(wf, resume, now, context_->options());
                       v1::HoldReleased event;
                       event.set_order_id(wf.order_id());
                       event.set_resumed_stage(resume);
                       event.set_actor(wf.status_note().actor());
                       event.set_reason(reason);
                       return context_->host().outbox().Append(s, wf.order_id(), event).status();
                     }));
        return absl::OkStatus();
      }));
  return CarryOut(request.order_id());
}

absl::StatusOr<v1::Workflow> LifecycleCommands::Amend(const v1::AmendOrderRequest& asked) {
  const v1::AmendOrderRequest request = WithActor(asked);
  OMS_RETURN_IF_ERROR(CheckCommand(request.order_id(), request.actor(), request.reason(), true));
  if (!SetsSomething(request)) {
    return absl::InvalidArgumentError("amendment sets no field: nothing to change");
  }
  v1::Workflow answer;
  OMS_ASSIGN_OR_RETURN(bool seen, context_->host().idempotency().Seen(
                                      "AmendOrder", request.idempotency_key(), request, &answer));
  if (seen) return CarryOut(request.order_id());  // a retry: the order was changed already
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                       engine_->Find(request.order_id()));
  if (!v.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workflow for order \"", request.order_id(), "\""));
  }
  OMS_RETURN_IF_ERROR(CheckScope(v->workflow));
  OMS_RETURN_IF_ERROR(CheckAccepts(v->workflow, Command::kAmend));
  // The order record first: order_svc checks every field and keeps the modification history.
  OMS_ASSIGN_OR_RETURN(order::v1::Order order,
                       context_->peers().order->Update(OrderUpdateFor(request)));
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "AmendOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) { return Replanned(s, order, request.actor(), request.reason(), answer); }));
  return CarryOut(request.order_id());
}

absl::Status LifecycleCommands::Replanned(Session& s, const order::v1::Order& order,
                                          const std::string& actor, const std::string& reason,
                                          v1::Workflow& answer) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                       store::FindWorkflow(s, order.order_id()));
  if (!v.has_value())
    return absl::NotFoundError(absl::StrCat("no workflow for order ", order.order_id()));
  v1::Stage before = v->workflow.stage();
  ReplanOutcome outcome = Replan(v->workflow, order, context_->Now(), context_->options());
  if (outcome.too_late) {  // the carrier took it between the check and the change
    TicketRequest late{v1::LATE_CHANGE,
                       absl::StrCat("order changed by ", actor,
                                    " after the carrier picked it up: the parcel goes as it was"),
                       ""};
    OMS_RETURN_IF_ERROR(tickets_->Open(s, order.order_id(), late).status());
  }
  v1::OrderAmended event;
  event.set_order_id(order.order_id());
  event.set_order_version(order.version());
  event.set_actor(actor);
  event.set_reason(reason);
  event.set_reallocated(outcome.reallocate);
  event.set_relabelled(outcome.relabel);
  OMS_RETURN_IF_ERROR(context_->host().outbox().Append(s, order.order_id(), event).status());
  if (outcome.changed) {
    *v->workflow.mutable_updated_at() = ToProtoTime(context_->Now());
    OMS_RETURN_IF_ERROR(engine_->Save(s, *v, before));
  }
  answer = v->workflow;
  return absl::OkStatus();
}

absl::StatusOr<v1::Workflow> LifecycleCommands::ApplyChangedOrder(const order::v1::Order& order,
                                                                  const std::string& actor,
                                                                  const std::string& reason) {
  v1::Workflow answer;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact(
      [&](Session& s) { return Replanned(s, order, actor, reason, answer); }));
  return CarryOut(order.order_id());
}

absl::Status LifecycleCommands::Retry(Session& s, const std::string& order_id) {
  return AcceptIn(s, order_id, Command::kRetry,
                  [&](Session&, v1::Workflow& wf) -> absl::Status {
                    wf.set_revision(wf.revision() + 1);  // new keys for the step's calls
                    wf.set_last_error("");
                    if (wf.compensated()) {  // its stock was released: allocate again
                      wf.set_compensated(false);
                      Enter(wf, v1::ALLOCATING, context_->Now(), context_->options());
                    } else {
                      wf.set_attempts(0);
                      *wf.mutable_next_run_at() = ToProtoTime(context_->Now());
                    }
                    return absl::OkStatus();
                  })
      .status();
}

}  // namespace oms::orchestrator
