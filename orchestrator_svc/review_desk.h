// The manual side of review: the rules (data, editable at run time), the queue of orders a
// rule sent to a person, and that person's decision, which is stored, attributed to them
// (with their note) in the order's history and carried on by the workflow.
#ifndef OMS_ORCHESTRATOR_SVC_REVIEW_DESK_H_
#define OMS_ORCHESTRATOR_SVC_REVIEW_DESK_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/workflow_context.h"
#include "orchestrator_svc/workflow_engine.h"

namespace oms::orchestrator {

class ReviewDesk {
 public:
  ReviewDesk(WorkflowContext* context, WorkflowEngine* engine)
      : context_(context), engine_(engine) {}

  absl::StatusOr<v1::ReviewRule> SaveRule(const v1::SaveReviewRuleRequest& request);
  absl::StatusOr<v1::ListReviewRulesResponse> ListRules();
  absl::StatusOr<v1::ListReviewQueueResponse> ListQueue();
  absl::StatusOr<v1::Workflow> Approve(const v1::ReviewOrderRequest& request);
  absl::StatusOr<v1::Workflow> Reject(const v1::ReviewOrderRequest& request);

 private:
  absl::StatusOr<v1::Workflow> Decide(const v1::ReviewOrderRequest& request, bool approve);

  WorkflowContext* context_;
  WorkflowEngine* engine_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_REVIEW_DESK_H_
