// The satisfaction part of orchestrator_svc's store: survey tokens, the feedback given, and
// compensations. Functions run inside the caller's transaction; the schema is in
// orchestrator_store.cc.
#ifndef OMS_ORCHESTRATOR_SVC_SATISFACTION_STORE_H_
#define OMS_ORCHESTRATOR_SVC_SATISFACTION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "platform/storage/database.h"

namespace oms::orchestrator::store {

absl::Status AddFeedbackRequest(Session& s, const std::string& token, const std::string& order_id,
                                const std::string& ticket_id, absl::Time at);
struct FeedbackRequestRow {
  std::string order_id;
  std::string ticket_id;
  bool answered = false;
};
absl::StatusOr<std::optional<FeedbackRequestRow>> FindFeedbackRequest(Session& s,
                                                                      absl::string_view token);
absl::Status MarkFeedbackAnswered(Session& s, absl::string_view token);
absl::Status InsertFeedback(Session& s, const v1::Feedback& feedback);
// By order or by ticket (whichever is set), oldest first.
absl::StatusOr<std::vector<v1::Feedback>> ListFeedback(Session& s, const std::string& order_id,
                                                       const std::string& ticket_id);

absl::Status SaveCompensation(Session& s, const v1::Compensation& compensation);
absl::StatusOr<std::optional<v1::Compensation>> FindCompensation(Session& s, absl::string_view id);
absl::StatusOr<std::vector<v1::Compensation>> ListCompensations(Session& s,
                                                                const std::string& ticket_id,
                                                                const std::string& order_id);

}  // namespace oms::orchestrator::store

#endif  // OMS_ORCHESTRATOR_SVC_SATISFACTION_STORE_H_
