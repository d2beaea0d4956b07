#include "orchestrator_svc/ticket_desk.h"

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/feedback_requests.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

void Record(v1::ExceptionTicket& ticket, const std::string& actor, const std::string& action,
            const std::string& detail, absl::Time at) {
  v1::TicketAction* a = ticket.add_history();
  a->set_actor(actor.empty() ? "system" : actor);
  a->set_action(action);
  a->set_detail(detail);
  *a->mutable_at() = ToProtoTime(at);
  *ticket.mutable_updated_at() = a->at();
}

}  // namespace

v1::ExceptionRule DefaultExceptionRule(absl::Duration sla) {
  v1::ExceptionRule rule;
  rule.set_severity(v1::MEDIUM);
  rule.set_group("support");
  rule.add_members("support");
  rule.set_lead("ops");
  rule.mutable_sla()->set_seconds(absl::ToInt64Seconds(sla));
  rule.set_auto_cancel_order(true);
  return rule;
}

absl::Duration TicketDesk::SlaOf(const v1::ExceptionRule& rule) const {
  return rule.sla().seconds() > 0 ? absl::Seconds(rule.sla().seconds())
                                  : context_->options().ticket_sla;
}

absl::StatusOr<v1::ExceptionRule> TicketDesk::RuleFor(Session& s, v1::ExceptionType type) {
  OMS_ASSIGN_OR_RETURN(std::optional<v1::ExceptionRule> own, store::FindExceptionRule(s, type));
  if (own.has_value()) return *own;
  OMS_ASSIGN_OR_RETURN(std::optional<v1::ExceptionRule> fallback,
                       store::FindExceptionRule(s, v1::EXCEPTION_TYPE_UNSPECIFIED));
  v1::ExceptionRule rule =
      fallback.has_value() ? *fallback : DefaultExceptionRule(context_->options().ticket_sla);
  rule.set_type(type);
  return rule;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::Open(Session& s, const std::string& order_id,
                                                     const TicketRequest& request,
                                                     const std::string& actor) {
  OMS_ASSIGN_OR_RETURN(
      std::optional<v1::ExceptionTicket> open,
      store::OpenTicket(s, store::TicketKey(order_id, request.subject), request.type));
  if (open.has_value()) return *open;  // one open ticket per (order or subject, type)
  absl::Time now = context_->Now();
  v1::ExceptionTicket ticket;
  ticket.set_ticket_id(context_->host().ids().Next("exc"));
  ticket.set_order_id(order_id);
  ticket.set_type(request.type);
  ticket.set_status(v1::ExceptionTicket::OPEN);
  ticket.set_description(request.description);
  ticket.set_shipment_id(request.shipment_id);
  ticket.set_subject(request.subject);
  ticket.set_anomaly_id(request.anomaly_id);
  // The type's rule (data) sets severity, group, SLA; members take turns.
  OMS_ASSIGN_OR_RETURN(v1::ExceptionRule rule, RuleFor(s, request.type));
  ticket.set_severity(rule.severity());
  ticket.set_group(rule.group());
  if (!rule.members().empty()) {
    OMS_ASSIGN_OR_RETURN(int64_t turn, store::NextInRotation(s, rule.group()));
    ticket.set_assignee(rule.members(static_cast<int>(turn % rule.members_size())));
  }
  *ticket.mutable_sla_due_at() = ToProtoTime(now + SlaOf(rule));
  *ticket.mutable_created_at() = ToProtoTime(now);
  Record(ticket, actor, "opened", request.description, now);
  OMS_RETURN_IF_ERROR(store::InsertTicket(s, ticket).status());
  v1::ExceptionOpened event;
  *event.mutable_ticket() = ticket;
  std::string key = store::TicketKey(order_id, request.subject);
  OMS_RETURN_IF_ERROR(context_->host().outbox().Append(s, key, event).status());
  if (!ticket.assignee().empty()) {
    v1::ExceptionAssigned assigned;
    *assigned.mutable_ticket() = ticket;
    OMS_RETURN_IF_ERROR(context_->host().outbox().Append(s, key, assigned).status());
  }
  return ticket;
}

absl::StatusOr<v1::ListExceptionsResponse> TicketDesk::List(
    const v1::ListExceptionsRequest& request) {
  v1::ListExceptionsResponse response;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionTicket> tickets,
                         store::ListTickets(s, request, context_->Now()));
    for (auto& t : tickets) *response.add_tickets() = std::move(t);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::Get(const v1::GetExceptionRequest& request) {
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    return absl::OkStatus();
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::OpenByPerson(
    const v1::OpenExceptionRequest& request) {
  FieldErrors errors;
  bool about_process = request.type() == v1::PROCESS_ANOMALY;
  if (about_process) {
    errors.Required(request.subject(), "subject");
    errors.Check(request.order_id().empty(), "order_id", "must be empty for PROCESS_ANOMALY");
  } else {
    errors.Required(request.order_id(), "order_id");
  }
  errors.MaxLength(request.subject(), 200, "subject");
  errors.Check(
      request.type() != v1::EXCEPTION_TYPE_UNSPECIFIED && v1::ExceptionType_IsValid(request.type()),
      "type", "is required");
  errors.Required(request.description(), "description");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ExceptionTicket answer;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "OpenException", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        if (!about_process) {
          OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> wf,
                               store::FindWorkflow(s, request.order_id()));
          if (!wf.has_value())
            return absl::NotFoundError(absl::StrCat("no workflow for order ", request.order_id()));
        }
        TicketRequest ticket{request.type(), request.description(), "", request.subject(),
                             request.anomaly_id()};
        OMS_ASSIGN_OR_RETURN(answer, Open(s, request.order_id(), ticket,
                                          request.actor().empty() ? "system" : request.actor()));
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::AddNote(
    const v1::AddExceptionNoteRequest& request) {
  FieldErrors errors;
  errors.Required(request.note(), "note");
  errors.Required(request.actor(), "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    Record(ticket, request.actor(), "note", request.note(), context_->Now());
    return store::SaveTicket(s, ticket);
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::Assign(const v1::AssignExceptionRequest& request) {
  FieldErrors errors;
  errors.Required(request.ticket_id(), "ticket_id");
  errors.Required(request.assignee(), "assignee");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    if (ticket.status() != v1::ExceptionTicket::OPEN) {
      return absl::FailedPreconditionError(
          absl::StrCat("ticket ", ticket.ticket_id(), " is not OPEN"));
    }
    ticket.set_assignee(request.assignee());
    Record(ticket, request.actor(), "assigned", request.assignee(), context_->Now());
    OMS_RETURN_IF_ERROR(store::SaveTicket(s, ticket));
    v1::ExceptionAssigned event;
    *event.mutable_ticket() = ticket;
    return context_->host().outbox().Append(s, store::TicketKey(ticket), event).status();
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::Close(const v1::CloseExceptionRequest& request) {
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    if (ticket.status() == v1::ExceptionTicket::CLOSED) return absl::OkStatus();
    if (ticket.status() != v1::ExceptionTicket::RESOLVED) {
      return absl::FailedPreconditionError(
          absl::StrCat("ticket ", ticket.ticket_id(), " must be RESOLVED before it is closed"));
    }
    ticket.set_status(v1::ExceptionTicket::CLOSED);
    Record(ticket, request.actor(), "closed", "", context_->Now());
    return store::SaveTicket(s, ticket);
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> TicketDesk::MarkResolved(Session& s,
                                                             const std::string& ticket_id,
                                                             v1::Resolution resolution,
                                                             const std::string& actor,
                                                             const std::string& note) {
  OMS_ASSIGN_OR_RETURN(v1::ExceptionTicket ticket, store::LoadTicket(s, ticket_id));
  if (ticket.status() != v1::ExceptionTicket::OPEN) {
    if (ticket.resolution() == resolution) return ticket;  // a retry: already done
    return absl::FailedPreconditionError(absl::StrCat(
        "ticket ", ticket_id, " is ", v1::ExceptionTicket::Status_Name(ticket.status())));
  }
  ticket.set_status(v1::ExceptionTicket::RESOLVED);
  ticket.set_resolution(resolution);
  Record(ticket, actor, absl::StrCat("resolved: ", v1::Resolution_Name(resolution)), note,
         context_->Now());
  OMS_RETURN_IF_ERROR(store::SaveTicket(s, ticket));
  v1::ExceptionResolved event;
  *event.mutable_ticket() = ticket;
  OMS_RETURN_IF_ERROR(
      context_->host().outbox().Append(s, store::TicketKey(ticket), event).status());
  // A follow-up of a survey is not surveyed again (a low rating would loop); a process
  // anomaly has no customer to ask.
  if (ticket.type() != v1::FEEDBACK_FOLLOWUP && !ticket.order_id().empty()) {
    OMS_RETURN_IF_ERROR(
        RequestFeedback(s, *context_, ticket.order_id(), ticket.ticket_id()).status());
  }
  return ticket;
}

absl::StatusOr<v1::ExceptionRule> TicketDesk::SaveRule(
    const v1::SaveExceptionRuleRequest& request) {
  const v1::ExceptionRule& rule = request.rule();
  FieldErrors errors;
  // Type UNSPECIFIED is the default rule: it governs every type without a rule of its own.
  errors.Check(v1::ExceptionType_IsValid(rule.type()), "rule.type", "is not an exception type");
  errors.Check(v1::Severity_IsValid(rule.severity()), "rule.severity", "is not a severity");
  errors.Check(rule.members().empty() || !rule.group().empty(), "rule.group",
               "is required when members are given");
  errors.Check(rule.sla().seconds() >= 0, "rule.sla", "must be >= 0");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(context_->host().db().Transact(
      [&](Session& s) { return store::SaveExceptionRule(s, rule); }));
  return rule;
}

absl::StatusOr<v1::ListExceptionRulesResponse> TicketDesk::ListRules() {
  v1::ListExceptionRulesResponse response;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionRule> rules, store::ListExceptionRules(s));
    bool has_default = !rules.empty() && rules[0].type() == v1::EXCEPTION_TYPE_UNSPECIFIED;
    if (!has_default) {  // the built-in default is in effect: show it
      *response.add_rules() = DefaultExceptionRule(context_->options().ticket_sla);
    }
    for (auto& r : rules) *response.add_rules() = std::move(r);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<int> TicketDesk::EscalateOverdue() {
  int escalated = 0;
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    escalated = 0;  // each attempt starts afresh (Database::Transact)
    absl::Time now = context_->Now();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionTicket> overdue, store::OverdueTickets(s, now));
    for (v1::ExceptionTicket& ticket : overdue) {
      OMS_ASSIGN_OR_RETURN(v1::ExceptionRule rule, RuleFor(s, ticket.type()));
      ticket.set_escalation_level(ticket.escalation_level() + 1);
      if (!rule.lead().empty()) ticket.set_assignee(rule.lead());
      *ticket.mutable_sla_due_at() = ToProtoTime(now + SlaOf(rule));
      Record(ticket, "orchestrator", "escalated",
             absl::StrCat("level ", ticket.escalation_level(), ", now with ", ticket.assignee()),
             now);
      OMS_RETURN_IF_ERROR(store::SaveTicket(s, ticket));
      v1::ExceptionEscalated event;
      *event.mutable_ticket() = ticket;
      OMS_RETURN_IF_ERROR(
          context_->host().outbox().Append(s, store::TicketKey(ticket), event).status());
      ++escalated;
    }
    return absl::OkStatus();
  }));
  return escalated;
}

}  // namespace oms::orchestrator
