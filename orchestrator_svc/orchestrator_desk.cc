// The people-facing side of the orchestrator: exception rules, assignment, escalation, and
// returns.
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "orchestrator_svc/orchestrator.h"
#include "orchestrator_svc/peer_call.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::TimeUtil;

void Record(v1::ExceptionTicket& ticket, const std::string& actor, const std::string& action,
            const std::string& detail, absl::Time at) {
  v1::TicketAction* a = ticket.add_history();
  a->set_actor(actor);
  a->set_action(action);
  a->set_detail(detail);
  *a->mutable_at() = ToProtoTime(at);
  *ticket.mutable_updated_at() = a->at();
}

}  // namespace

absl::StatusOr<v1::ExceptionRule> Orchestrator::SaveExceptionRule(
    const v1::SaveExceptionRuleRequest& request) {
  const v1::ExceptionRule& rule = request.rule();
  FieldErrors errors;
  errors.Check(
      rule.type() != v1::EXCEPTION_TYPE_UNSPECIFIED && v1::ExceptionType_IsValid(rule.type()),
      "rule.type", "is required");
  errors.Check(v1::Severity_IsValid(rule.severity()), "rule.severity", "is not a severity");
  errors.Check(rule.members().empty() || !rule.group().empty(), "rule.group",
               "is required when members are given");
  errors.Check(rule.sla().seconds() >= 0, "rule.sla", "must be >= 0");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveExceptionRule(s, rule); }));
  return rule;
}

absl::StatusOr<v1::ListExceptionRulesResponse> Orchestrator::ListExceptionRules() {
  v1::ListExceptionRulesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionRule> rules, store::ListExceptionRules(s));
    for (auto& r : rules) *response.add_rules() = std::move(r);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ExceptionTicket> Orchestrator::AssignException(
    const v1::AssignExceptionRequest& request) {
  FieldErrors errors;
  errors.Required(request.ticket_id(), "ticket_id");
  errors.Required(request.assignee(), "assignee");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    if (ticket.status() != v1::ExceptionTicket::OPEN) {
      return absl::FailedPreconditionError(
          absl::StrCat("ticket ", ticket.ticket_id(), " is not OPEN"));
    }
    ticket.set_assignee(request.assignee());
    Record(ticket, request.actor().empty() ? "system" : request.actor(), "assigned",
           request.assignee(), host_->clock().Now());
    OMS_RETURN_IF_ERROR(store::SaveTicket(s, ticket));
    v1::ExceptionAssigned event;
    *event.mutable_ticket() = ticket;
    return host_->outbox().Append(s, ticket.order_id(), event).status();
  }));
  return ticket;
}

absl::StatusOr<int> Orchestrator::EscalateOverdue() {
  int escalated = 0;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionTicket> overdue, store::OverdueTickets(s, now));
    for (v1::ExceptionTicket& ticket : overdue) {
      OMS_ASSIGN_OR_RETURN(std::optional<v1::ExceptionRule> rule,
                           store::FindExceptionRule(s, ticket.type()));
      absl::Duration sla = rule.has_value() && rule->sla().seconds() > 0
                               ? absl::Seconds(rule->sla().seconds())
                               : options_.ticket_sla;
      ticket.set_escalation_level(ticket.escalation_level() + 1);
      if (rule.has_value() && !rule->lead().empty()) ticket.set_assignee(rule->lead());
      *ticket.mutable_sla_due_at() = ToProtoTime(now + sla);
      Record(ticket, "orchestrator", "escalated",
             absl::StrCat("level ", ticket.escalation_level(), ", now with ", ticket.assignee()),
             now);
      OMS_RETURN_IF_ERROR(store::SaveTicket(s, ticket));
      v1::ExceptionEscalated event;
      *event.mutable_ticket() = ticket;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, ticket.order_id(), event).status());
      ++escalated;
    }
    return absl::OkStatus();
  }));
  return escalated;
}

// ----------------------------------------------------------------------------- returns

absl::StatusOr<v1::ReturnRecord> Orchestrator::RequestReturn(
    const v1::RequestReturnRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(!request.lines().empty(), "lines", "at least one line is required");
  for (int i = 0; i < request.lines_size(); ++i) {
    errors.Required(request.lines(i).sku(), IndexedField("lines", i, "sku"));
    errors.Check(request.lines(i).quantity() > 0, IndexedField("lines", i, "quantity"),
                 "must be > 0");
  }
  errors.Required(request.reason(), "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  order::v1::GetOrderRequest get;
  get.set_order_id(request.order_id());
  OMS_ASSIGN_OR_RETURN(order::v1::Order order,
                       CallPeer(peers_.order, &order::v1::OrderService::StubInterface::GetOrder,
                                get, options_.call_deadline));
  for (const v1::ReturnLine& line : request.lines()) {
    int64_t bought = 0;
    for (const auto& l : order.lines()) bought += l.sku() == line.sku() ? l.quantity() : 0;
    if (line.quantity() > bought) {
      return absl::InvalidArgumentError(absl::StrCat("lines: ", line.sku(), " x", line.quantity(),
                                                     " is more than the order has (", bought, ")"));
    }
  }
  std::string return_id = absl::StrCat(request.order_id(), "/return");
  order::v1::TransitionOrderRequest transition;
  transition.set_idempotency_key(return_id + ":requested");
  transition.set_order_id(request.order_id());
  transition.set_to_status(order::v1::RETURN_REQUESTED);
  transition.set_actor("orchestrator");
  transition.set_reason(request.reason());
  OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                               &order::v1::OrderService::StubInterface::TransitionOrder, transition,
                               options_.call_deadline)
                          .status());
  v1::ReturnRecord record;
  record.set_return_id(return_id);
  record.set_order_id(request.order_id());
  *record.mutable_lines() = request.lines();
  record.set_reason(request.reason());
  record.set_status(v1::ReturnRecord::REQUESTED);
  *record.mutable_requested_at() = ToProtoTime(host_->clock().Now());
  *record.mutable_updated_at() = record.requested_at();
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    absl::StatusOr<v1::ReturnRecord> existing = store::LoadReturn(s, return_id);
    if (existing.ok()) {
      record = *existing;  // a retry: the return exists already
      return absl::OkStatus();
    }
    return store::SaveReturn(s, record);
  }));
  return record;
}

absl::StatusOr<v1::ReturnRecord> Orchestrator::ReceiveReturn(
    const v1::ReceiveReturnRequest& request) {
  FieldErrors errors;
  errors.Required(request.return_id(), "return_id");
  errors.Required(request.warehouse_id(), "warehouse_id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ReturnRecord record;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(record, store::LoadReturn(s, request.return_id()));
    return absl::OkStatus();
  }));
  if (record.status() != v1::ReturnRecord::REQUESTED) return record;  // already received
  const auto& received = request.lines().empty() ? record.lines() : request.lines();
  for (const v1::ReturnLine& line : received) {
    if (line.damaged()) continue;  // never re-entered stock: nothing to adjust
    inventory::v1::AdjustStockRequest restock;
    restock.set_idempotency_key(absl::StrCat(record.return_id(), ":restock:", line.sku()));
    restock.set_sku(line.sku());
    restock.set_warehouse_id(request.warehouse_id());
    restock.set_delta(line.quantity());
    restock.set_reason(inventory::v1::RETURN);
    restock.set_actor("orchestrator");
    restock.set_note(record.return_id());
    OMS_RETURN_IF_ERROR(CallPeer(peers_.inventory,
                                 &inventory::v1::InventoryService::StubInterface::AdjustStock,
                                 restock, options_.call_deadline)
                            .status());
  }
  order::v1::TransitionOrderRequest transition;
  transition.set_idempotency_key(record.return_id() + ":returned");
  transition.set_order_id(record.order_id());
  transition.set_to_status(order::v1::RETURNED);
  transition.set_actor("orchestrator");
  transition.set_reason("return received");
  OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                               &order::v1::OrderService::StubInterface::TransitionOrder, transition,
                               options_.call_deadline)
                          .status());
  *record.mutable_lines() = received;
  record.set_status(v1::ReturnRecord::RECEIVED);
  record.set_warehouse_id(request.warehouse_id());
  *record.mutable_updated_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::SaveReturn(s, record));
    v1::ReturnReceived event;
    *event.mutable_record() = record;
    return host_->outbox().Append(s, record.order_id(), event).status();
  }));
  return record;
}

absl::StatusOr<v1::ReturnRecord> Orchestrator::RefundReturn(
    const v1::RefundReturnRequest& request) {
  v1::ReturnRecord record;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(record, store::LoadReturn(s, request.return_id()));
    return absl::OkStatus();
  }));
  if (record.status() == v1::ReturnRecord::REFUNDED) return record;
  if (record.status() != v1::ReturnRecord::RECEIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("return ", record.return_id(), " must be received before it is refunded"));
  }
  order::v1::GetOrderRequest get;
  get.set_order_id(record.order_id());
  OMS_ASSIGN_OR_RETURN(order::v1::Order order,
                       CallPeer(peers_.order, &order::v1::OrderService::StubInterface::GetOrder,
                                get, options_.call_deadline));
  // The returned lines at the price paid (tax included pro rata is left to finance).
  int64_t refund = 0;
  for (const v1::ReturnLine& line : record.lines()) {
    for (const auto& l : order.lines()) {
      if (l.sku() == line.sku()) refund += l.unit_price().minor_units() * line.quantity();
    }
  }
  refund = std::min(refund, order.payment().amount().minor_units());
  order::v1::RecordPaymentRequest pay;
  pay.set_idempotency_key(record.return_id() + ":refund");
  pay.set_order_id(record.order_id());
  pay.set_status(order::v1::Payment::REFUNDED);
  pay.mutable_amount()->set_currency_code(order.currency_code());
  pay.mutable_amount()->set_minor_units(refund);
  pay.set_reference(record.return_id());
  pay.set_actor("orchestrator");
  OMS_RETURN_IF_ERROR(CallPeer(peers_.order, &order::v1::OrderService::StubInterface::RecordPayment,
                               pay, options_.call_deadline)
                          .status());
  order::v1::TransitionOrderRequest transition;
  transition.set_idempotency_key(record.return_id() + ":refunded");
  transition.set_order_id(record.order_id());
  transition.set_to_status(order::v1::REFUNDED);
  transition.set_actor("orchestrator");
  transition.set_reason("return refunded");
  OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                               &order::v1::OrderService::StubInterface::TransitionOrder, transition,
                               options_.call_deadline)
                          .status());
  record.set_status(v1::ReturnRecord::REFUNDED);
  *record.mutable_refund() = pay.amount();
  *record.mutable_updated_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveReturn(s, record); }));
  return record;
}

}  // namespace oms::orchestrator
