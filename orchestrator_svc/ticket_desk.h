// Exception tickets: opened by the workflow (one open ticket per order and type) or by
// people, assigned round-robin by the type's rule, escalated to the rule's lead when past
// their SLA, noted, assigned and closed. Resolving a ticket is resolutions.h. Rules are
// data; a type without a rule of its own follows the default rule (type UNSPECIFIED), and
// without a stored default, the built-in one (DefaultExceptionRule). Thread-safe.
#ifndef OMS_ORCHESTRATOR_SVC_TICKET_DESK_H_
#define OMS_ORCHESTRATOR_SVC_TICKET_DESK_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/workflow_context.h"
#include "platform/storage/database.h"

namespace oms::orchestrator {

// A ticket the workflow wants opened when its step is saved.
struct TicketRequest {
  v1::ExceptionType type = v1::EXCEPTION_TYPE_UNSPECIFIED;
  std::string description;
  std::string shipment_id;
  std::string subject;     // PROCESS_ANOMALY: what it is about instead of an order
  std::string anomaly_id;  // PROCESS_ANOMALY: the detection in analytics_svc
};

// The rule for types that have none: the support group, escalating to ops after the SLA.
v1::ExceptionRule DefaultExceptionRule(absl::Duration sla);

class TicketDesk {
 public:
  explicit TicketDesk(WorkflowContext* context) : context_(context) {}

  // Opens a ticket in the caller's transaction unless one of the type is already open for
  // the order (that one is answered). `actor` opened it ("orchestrator" for detections).
  absl::StatusOr<v1::ExceptionTicket> Open(Session& s, const std::string& order_id,
                                           const TicketRequest& request,
                                           const std::string& actor = "orchestrator");

  absl::StatusOr<v1::ListExceptionsResponse> List(const v1::ListExceptionsRequest& request);
  absl::StatusOr<v1::ExceptionTicket> Get(const v1::GetExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> OpenByPerson(const v1::OpenExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> AddNote(const v1::AddExceptionNoteRequest& request);
  absl::StatusOr<v1::ExceptionTicket> Assign(const v1::AssignExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> Close(const v1::CloseExceptionRequest& request);
  // Marks an OPEN ticket RESOLVED with the resolution and writes ExceptionResolved; a ticket
  // already resolved that way is answered as it is.
  absl::StatusOr<v1::ExceptionTicket> MarkResolved(Session& s, const std::string& ticket_id,
                                                   v1::Resolution resolution,
                                                   const std::string& actor,
                                                   const std::string& note);

  absl::StatusOr<v1::ExceptionRule> SaveRule(const v1::SaveExceptionRuleRequest& request);
  absl::StatusOr<v1::ListExceptionRulesResponse> ListRules();
  // The rule that governs `type`: its own, else the default.
  absl::StatusOr<v1::ExceptionRule> RuleFor(Session& s, v1::ExceptionType type);

  // Overdue open tickets: escalation level + 1, handed to the rule's lead, a new due time.
  absl::StatusOr<int> EscalateOverdue();

 private:
  absl::Duration SlaOf(const v1::ExceptionRule& rule) const;

  WorkflowContext* context_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_TICKET_DESK_H_
