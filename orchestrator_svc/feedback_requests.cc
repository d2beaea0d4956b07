#include "orchestrator_svc/feedback_requests.h"

#include "absl/strings/str_cat.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "orchestrator_svc/satisfaction_store.h"
#include "platform/base/status.h"
#include "platform/security/key_store.h"

namespace oms::orchestrator {

std::string NewSurveyToken() { return auth::RandomHex(16); }

absl::StatusOr<std::string> RequestFeedback(Session& s, WorkflowContext& context,
                                            const std::string& order_id,
                                            const std::string& ticket_id) {
  v1::FeedbackRequested requested;
  requested.set_order_id(order_id);
  requested.set_ticket_id(ticket_id);
  requested.set_token(NewSurveyToken());
  requested.set_survey_url(absl::StrCat(context.options().survey_url_prefix, requested.token()));
  OMS_RETURN_IF_ERROR(
      store::AddFeedbackRequest(s, requested.token(), order_id, ticket_id, context.Now()));
  OMS_RETURN_IF_ERROR(context.host().outbox().Append(s, order_id, requested).status());
  return requested.token();
}

}  // namespace oms::orchestrator
