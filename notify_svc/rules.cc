#include "notify_svc/rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/template_engine.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

absl::Status ValidateRule(const v1::Rule& rule) {
  FieldErrors errors;
  errors.Check(EventPayloadType(rule.event_type()) != nullptr, "rule.event_type",
               "is not a known event type");
  errors.Check(!rule.audiences().empty(), "rule.audiences", "at least one is required");
  for (int a : rule.audiences()) {
    errors.Check(a != v1::AUDIENCE_UNSPECIFIED && v1::Audience_IsValid(a), "rule.audiences",
                 "contains an unknown audience");
  }
  for (int c : rule.channels())
    errors.Check(ValidChannel(c), "rule.channels", "contains an unknown channel");
  errors.MaxLength(rule.name(), 64, "rule.name");
  if (EventPayloadType(rule.event_type()) != nullptr) {
    std::set<std::string> allowed = PlaceholdersFor(rule.event_type());
    for (const auto& [field, value] : rule.when()) {
      errors.Check(allowed.count(field) > 0, "rule.when",
                   absl::StrCat("unknown field ", field, " for ", rule.event_type()));
    }
  }
  return errors.ToStatus();
}

absl::StatusOr<v1::Rule> Rules::Save(const v1::SaveRuleRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateRule(request.rule()));
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveRule(s, request.rule()); }));
  return request.rule();
}

absl::StatusOr<v1::Rule> Rules::Delete(const v1::DeleteRuleRequest& request) {
  v1::Rule deleted;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::optional<v1::Rule> rule,
                         store::FindRule(s, request.event_type(), request.name()));
    if (!rule.has_value()) {
      return absl::NotFoundError(absl::StrCat("no rule for ", request.event_type(),
                                              request.name().empty() ? "" : " named ",
                                              request.name()));
    }
    deleted = *rule;
    return store::DeleteRule(s, request.event_type(), request.name());
  }));
  return deleted;
}

absl::StatusOr<v1::ListRulesResponse> Rules::List() {
  v1::ListRulesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Rule> rules, store::ListRules(s));
    for (auto& r : rules) *response.add_rules() = std::move(r);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::FrequencyLimit> Rules::SetFrequencyLimit(
    const v1::SetFrequencyLimitRequest& request) {
  const v1::FrequencyLimit& limit = request.limit();
  FieldErrors errors;
  errors.Check(ValidChannel(limit.channel()), "limit.channel", "is required");
  errors.Check(limit.max_messages() >= 0, "limit.max_messages", "must be >= 0 (0 removes)");
  if (limit.max_messages() > 0) {
    errors.Check(limit.window().seconds() > 0 && limit.window().seconds() <= 7 * 86400,
                 "limit.window", "must be between 1 second and 7 days");
    errors.Check(limit.overflow() == v1::FrequencyLimit::SUPPRESS ||
                     limit.overflow() == v1::FrequencyLimit::DIGEST,
                 "limit.overflow", "must be SUPPRESS or DIGEST");
  }
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) {
    return limit.max_messages() == 0 ? store::DeleteLimit(s, limit.channel())
                                     : store::SaveLimit(s, limit);
  }));
  return limit;
}

absl::StatusOr<v1::ListFrequencyLimitsResponse> Rules::ListFrequencyLimits() {
  v1::ListFrequencyLimitsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::FrequencyLimit> limits, store::ListLimits(s));
    for (auto& l : limits) *response.add_limits() = std::move(l);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::notify
