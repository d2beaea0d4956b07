// Who is told about which event: rules (event type, audiences, channels, `when` conditions)
// and per-channel frequency limits. Thread-safe.
#ifndef OMS_NOTIFY_SVC_RULES_H_
#define OMS_NOTIFY_SVC_RULES_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

class Rules {
 public:
  explicit Rules(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Rule> Save(const v1::SaveRuleRequest& request);
  absl::StatusOr<v1::Rule> Delete(const v1::DeleteRuleRequest& request);
  absl::StatusOr<v1::ListRulesResponse> List();
  absl::StatusOr<v1::FrequencyLimit> SetFrequencyLimit(const v1::SetFrequencyLimitRequest& request);
  absl::StatusOr<v1::ListFrequencyLimitsResponse> ListFrequencyLimits();

 private:
  ServiceHost* host_;
};

// INVALID_ARGUMENT naming every problem: unknown event type, audience, channel, field.
absl::Status ValidateRule(const v1::Rule& rule);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_RULES_H_
