// Asking a customer how it went: after an order is delivered and after one of its tickets is
// resolved, a single-use survey token is stored and FeedbackRequested written in the
// caller's transaction; notify_svc sends the survey link by the customer's channels.
#ifndef OMS_ORCHESTRATOR_SVC_FEEDBACK_REQUESTS_H_
#define OMS_ORCHESTRATOR_SVC_FEEDBACK_REQUESTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

// `ticket_id` "" after a delivery. Answers the survey's token.
absl::StatusOr<std::string> RequestFeedback(Session& s, WorkflowContext& context,
                                            const std::string& order_id,
                                            const std::string& ticket_id);

// 128 random bits as hex: a survey link cannot be guessed from another.
std::string NewSurveyToken();

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_FEEDBACK_REQUESTS_H_
