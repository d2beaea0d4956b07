#include "orchestrator_svc/resolutions.h"

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

std::string KeyOf(const v1::ExceptionTicket& ticket, v1::Resolution resolution,
                  const std::string& step) {
  return absl::StrCat(ticket.ticket_id(), ":", v1::Resolution_Name(resolution), ":", step);
}

}  // namespace

absl::Status Resolutions::Cancel(const v1::ExceptionTicket& ticket,
                                 const v1::ResolveExceptionRequest& request,
                                 const std::string& why) {
  v1::CancelOrderRequest cancel;
  cancel.set_idempotency_key(KeyOf(ticket, request.resolution(), "cancel"));
  cancel.set_order_id(ticket.order_id());
  cancel.set_actor(request.actor());
  cancel.set_reason(absl::StrCat(why, " (exception ", ticket.ticket_id(), ")",
                                 request.note().empty() ? "" : ": ", request.note()));
  return commands_->Cancel(cancel).status();
}

absl::Status Resolutions::Refund(const v1::ExceptionTicket& ticket, const v1::Workflow& wf,
                                 const v1::ResolveExceptionRequest& request) {
  // Before pickup the goods must not go out either: a refund is a cancel (which refunds).
  if (Accepts(wf.stage(), Command::kCancel)) return Cancel(ticket, request, "refunded");
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(wf.order_id()));
  if (!order::WasPaid(order.payment())) {  // COD or an invoice not yet paid
    return absl::FailedPreconditionError(
        absl::StrCat("order ", order.order_id(), " is not paid (",
                     order::v1::PaymentMethod_Name(order.payment_method()),
                     "): there is nothing to refund; resolve with NO_ACTION or CONTACT_CUSTOMER"));
  }
  // All that is left of the payment (a retry finds nothing left and is done).
  int64_t left = order::RefundableMinor(order.payment());
  if (left == 0) return absl::OkStatus();
  order::v1::RecordPaymentRequest refund;
  refund.set_idempotency_key(KeyOf(ticket, v1::REFUND, "refund"));
  refund.set_order_id(wf.order_id());
  refund.set_status(order::v1::Payment::REFUNDED);
  refund.mutable_amount()->set_currency_code(order.currency_code());
  refund.mutable_amount()->set_minor_units(left);
  refund.set_reference(ticket.ticket_id());
  refund.set_actor(request.actor());
  return context_->peers().order->RecordPayment(refund).status();
}

absl::StatusOr<v1::WorkflowShipment> Resolutions::Reship(const v1::ExceptionTicket& ticket,
                                                         const v1::Workflow& wf) {
  if (ticket.shipment_id().empty()) {
    return absl::FailedPreconditionError("RESHIP needs a ticket about a shipment");
  }
  logistics::v1::ReshipRequest reship;
  reship.set_idempotency_key(KeyOf(ticket, v1::RESHIP, "reship"));
  reship.set_shipment_id(ticket.shipment_id());
  reship.set_reason(absl::StrCat("exception ", ticket.ticket_id()));
  OMS_ASSIGN_OR_RETURN(logistics::v1::ReshipResponse reshipped,
                       context_->peers().logistics->Reship(reship));
  // The replacement needs stock of its own: reserved under a separate allocation.
  int reships = 1;
  for (const v1::WorkflowShipment& s : wf.shipments()) reships += s.replaced() ? 1 : 0;
  std::string allocation_id = absl::StrCat(ticket.order_id(), "/reship", reships);
  inventory::v1::AllocateRequest allocate;
  allocate.set_idempotency_key(KeyOf(ticket, v1::RESHIP, "allocate"));
  allocate.set_order_id(allocation_id);
  allocate.set_region(wf.region());
  allocate.set_policy(inventory::v1::SHIP_COMPLETE);
  for (const auto& line : reshipped.reshipment().lines()) {
    inventory::v1::AllocationLine* l = allocate.add_lines();
    l->set_sku(line.sku());
    l->set_quantity(line.quantity());
  }
  OMS_RETURN_IF_ERROR(context_->peers().inventory->Allocate(allocate).status());
  v1::WorkflowShipment replacement;
  replacement.set_shipment_id(reshipped.reshipment().shipment_id());
  replacement.set_warehouse_id(reshipped.reshipment().warehouse_id());
  SetState(replacement, reshipped.reshipment().state());
  replacement.set_allocation_id(allocation_id);
  replacement.set_revision(wf.revision());
  return replacement;
}

absl::Status Resolutions::RecordReship(Session& s, const v1::ExceptionTicket& ticket,
                                       const v1::WorkflowShipment& replacement) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                       store::FindWorkflow(s, ticket.order_id()));
  if (!v.has_value()) return absl::OkStatus();
  for (const v1::WorkflowShipment& sh : v->workflow.shipments()) {
    if (sh.shipment_id() == replacement.shipment_id()) return absl::OkStatus();  // a retry
  }
  v1::Stage before = v->workflow.stage();
  for (v1::WorkflowShipment& sh : *v->workflow.mutable_shipments()) {
    if (sh.shipment_id() == ticket.shipment_id()) sh.set_replaced(true);
  }
  *v->workflow.add_shipments() = replacement;
  absl::Time now = context_->Now();
  if (v->workflow.stage() != v1::IN_TRANSIT)
    Enter(v->workflow, v1::IN_TRANSIT, now, context_->options());
  *v->workflow.mutable_next_run_at() = ToProtoTime(now);
  *v->workflow.mutable_updated_at() = ToProtoTime(now);
  return engine_->Save(s, *v, before);
}

absl::Status Resolutions::Substitute(const v1::ExceptionTicket& ticket, const v1::Workflow& wf,
                                     const v1::ResolveExceptionRequest& request) {
  const std::string& from = request.substitute_from_sku();
  const std::string& to = request.substitute_to_sku();
  if (from.empty() || to.empty()) {
    return absl::InvalidArgumentError(
        "substitute_from_sku, substitute_to_sku: both are required for SUBSTITUTE");
  }
  OMS_RETURN_IF_ERROR(CheckAccepts(wf, Command::kAmend));
  order::v1::SubstituteLineRequest substitute;
  substitute.set_idempotency_key(KeyOf(ticket, v1::SUBSTITUTE, "order"));
  substitute.set_order_id(wf.order_id());
  substitute.set_from_sku(from);
  substitute.set_to_sku(to);
  substitute.set_actor(request.actor());
  substitute.set_reason(request.note());
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->SubstituteLine(substitute));
  return commands_
      ->ApplyChangedOrder(
          order, request.actor(),
          absl::StrCat("substituted ", from, " with ", to, " (exception ", ticket.ticket_id(), ")"))
      .status();
}

absl::Status Resolutions::ReshipAsCompensation(const std::string& key, const std::string& order_id,
                                               const std::string& shipment_id) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, engine_->Find(order_id));
  if (!v.has_value()) return absl::NotFoundError(absl::StrCat("no workflow for order ", order_id));
  // Reship and RecordReship work on a ticket about a shipment: the compensation stands in
  // for it (its id keys the calls, so a retried grant makes no second parcel).
  v1::ExceptionTicket about;
  about.set_ticket_id(key);
  about.set_order_id(order_id);
  about.set_shipment_id(shipment_id);
  for (const v1::WorkflowShipment& s : v->workflow.shipments()) {
    if (shipment_id.empty() && !s.replaced() && !s.superseded() &&
        StateOf(s) != logistics::v1::CANCELLED) {
      about.set_shipment_id(s.shipment_id());  // the newest wins
    }
  }
  if (about.shipment_id().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("FREE_RESHIP: order ", order_id, " has no parcel to send again"));
  }
  OMS_ASSIGN_OR_RETURN(v1::WorkflowShipment replacement, Reship(about, v->workflow));
  OMS_RETURN_IF_ERROR(context_->host().db().Transact(
      [&](Session& s) { return RecordReship(s, about, replacement); }));
  Learned learned;
  return engine_->Advance(order_id, learned);
}

absl::StatusOr<v1::ExceptionTicket> Resolutions::ResolveWithoutOrder(
    const v1::ExceptionTicket& ticket, const v1::ResolveExceptionRequest& request) {
  // A process anomaly is about a carrier or a channel: nothing to reship, refund or cancel.
  if (request.resolution() != v1::NO_ACTION && request.resolution() != v1::CONTACT_CUSTOMER) {
    return absl::FailedPreconditionError(
        absl::StrCat("ticket ", ticket.ticket_id(), " is about ", ticket.subject(),
                     ", not an order: only NO_ACTION or CONTACT_CUSTOMER resolve it"));
  }
  v1::ExceptionTicket resolved;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(resolved,
                         tickets_->MarkResolved(s, ticket.ticket_id(), request.resolution(),
                                                request.actor(), request.note()));
    return absl::OkStatus();
  }));
  return resolved;
}

absl::StatusOr<v1::ExceptionTicket> Resolutions::Resolve(
    const v1::ResolveExceptionRequest& request) {
  FieldErrors errors;
  errors.Required(request.ticket_id(), "ticket_id");
  errors.Check(request.resolution() != v1::RESOLUTION_UNSPECIFIED &&
                   v1::Resolution_IsValid(request.resolution()),
               "resolution", "is required");
  errors.Required(request.actor(), "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::GetExceptionRequest get;
  get.set_ticket_id(request.ticket_id());
  OMS_ASSIGN_OR_RETURN(v1::ExceptionTicket ticket, tickets_->Get(get));
  if (ticket.status() != v1::ExceptionTicket::OPEN) {
    if (ticket.resolution() == request.resolution()) return ticket;  // a retry: already done
    return absl::FailedPreconditionError(absl::StrCat(
        "ticket ", ticket.ticket_id(), " is ", v1::ExceptionTicket::Status_Name(ticket.status())));
  }
  if (ticket.order_id().empty()) return ResolveWithoutOrder(ticket, request);
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, engine_->Find(ticket.order_id()));
  if (!v.has_value())
    return absl::NotFoundError(absl::StrCat("no workflow for order ", ticket.order_id()));
  const v1::Workflow& wf = v->workflow;
  std::optional<v1::WorkflowShipment> replacement;
  switch (request.resolution()) {
    case v1::CANCEL_ORDER:
      OMS_RETURN_IF_ERROR(Cancel(ticket, request, "cancelled"));
      break;
    case v1::REFUND:
      OMS_RETURN_IF_ERROR(Refund(ticket, wf, request));
      break;
    case v1::RESHIP: {
      OMS_ASSIGN_OR_RETURN(replacement, Reship(ticket, wf));
      break;
    }
    case v1::SUBSTITUTE:
      OMS_RETURN_IF_ERROR(Substitute(ticket, wf, request));
      break;
    case v1::RETRY:
      if (IsFinal(wf.stage())) OMS_RETURN_IF_ERROR(CheckAccepts(wf, Command::kRetry));
      break;
    default:
      break;  // WAIT_FOR_STOCK, CONTACT_CUSTOMER, NO_ACTION: recorded only
  }
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, tickets_->MarkResolved(s, ticket.ticket_id(), request.resolution(),
                                                        request.actor(), request.note()));
    if (replacement.has_value()) OMS_RETURN_IF_ERROR(RecordReship(s, ticket, *replacement));
    if (request.resolution() == v1::RETRY)
      OMS_RETURN_IF_ERROR(commands_->Retry(s, ticket.order_id()));
    return absl::OkStatus();
  }));
  if (replacement.has_value() || request.resolution() == v1::RETRY) {
    Learned learned;
    OMS_RETURN_IF_ERROR(engine_->Advance(ticket.order_id(), learned));
  }
  return ticket;
}

}  // namespace oms::orchestrator
