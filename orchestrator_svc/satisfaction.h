// Satisfaction and compensation: the customer's answer to a survey (a low rating opens a
// follow-up ticket), and compensation on a ticket (coupon, store credit, partial refund, free
// reship) granted within the proposer's approval limit or by a second approver whose limit
// covers it, then carried out where the suite can (refund through order_svc, reship through
// logistics_svc) and recorded and notified where it cannot (coupon, store credit).
// Thread-safe.
#ifndef OMS_ORCHESTRATOR_SVC_SATISFACTION_H_
#define OMS_ORCHESTRATOR_SVC_SATISFACTION_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/resolutions.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

// What a low rating opens and the approval limits come from OrchestratorOptions
// (feedback_followup_rating and _type, compensation_limits).
class Satisfaction {
 public:
  Satisfaction(WorkflowContext* context, TicketDesk* tickets, Resolutions* resolutions)
      : context_(context), tickets_(tickets), resolutions_(resolutions) {}

  // NOT_FOUND for an unknown token, ALREADY_EXISTS for a survey already answered.
  absl::StatusOr<v1::Feedback> Submit(const v1::SubmitFeedbackRequest& request);
  absl::StatusOr<v1::ListFeedbackResponse> ListFeedback(const v1::ListFeedbackRequest& request);

  absl::StatusOr<v1::Compensation> Propose(const v1::ProposeCompensationRequest& request);
  // FAILED_PRECONDITION for the proposer themself; PERMISSION_DENIED above the approver's
  // limit; a granted compensation is answered as it is.
  absl::StatusOr<v1::Compensation> Approve(const v1::ApproveCompensationRequest& request);
  absl::StatusOr<v1::ListCompensationsResponse> ListCompensations(
      const v1::ListCompensationsRequest& request);

 private:
  // A PARTIAL_REFUND within what is left of the order's payment, before anything is stored.
  absl::Status CheckRefundable(const v1::ProposeCompensationRequest& request);
  // Carries out and records a compensation (peer calls keyed by its id, so a retry has no
  // second effect), then writes CompensationGranted.
  absl::StatusOr<v1::Compensation> Grant(const std::string& compensation_id,
                                         const std::string& approver);
  absl::Status CarryOut(v1::Compensation& compensation);

  WorkflowContext* context_;
  TicketDesk* tickets_;
  Resolutions* resolutions_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_SATISFACTION_H_
