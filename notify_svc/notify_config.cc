#include "notify_svc/notify_config.h"

#include <utility>

#include "absl/strings/match.h"
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"

namespace oms::notify {

absl::StatusOr<std::shared_ptr<const NotifyConfig>> NotifyConfig::Load(Session& s,
                                                                       int64_t version) {
  auto config = std::make_shared<NotifyConfig>();
  config->version_ = version;
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Rule> rules, store::ListRules(s));  // by type, name
  for (v1::Rule& rule : rules) config->rules_[rule.event_type()].push_back(std::move(rule));
  // By type, channel, locale.
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Template> templates, store::ListTemplates(s, ""));
  for (v1::Template& t : templates) config->templates_[t.event_type()].push_back(std::move(t));
  OMS_ASSIGN_OR_RETURN(std::vector<v1::FrequencyLimit> limits, store::ListLimits(s));
  for (v1::FrequencyLimit& limit : limits) config->limits_[limit.channel()] = std::move(limit);
  OMS_ASSIGN_OR_RETURN(config->recipients_, store::ListRecipients(s));
  for (const auto& [type, rules_of_type] : config->rules_) {
    for (const v1::Rule& rule : rules_of_type) {
      if (rule.when().contains(kTierPlaceholder)) config->uses_tier_.insert(type);
    }
  }
  for (const auto& [type, templates_of_type] : config->templates_) {
    for (const v1::Template& t : templates_of_type) {
      if (absl::StrContains(t.subject(), kTierPlaceholder) ||
          absl::StrContains(t.body(), kTierPlaceholder)) {
        config->uses_tier_.insert(type);
      }
    }
  }
  return std::shared_ptr<const NotifyConfig>(std::move(config));
}

const std::vector<v1::Rule>& NotifyConfig::RulesFor(const std::string& event_type) const {
  static const auto* none = new std::vector<v1::Rule>();
  auto found = rules_.find(event_type);
  return found == rules_.end() ? *none : found->second;
}

const std::vector<v1::Template>& NotifyConfig::TemplatesFor(const std::string& event_type) const {
  static const auto* none = new std::vector<v1::Template>();
  auto found = templates_.find(event_type);
  return found == templates_.end() ? *none : found->second;
}

const v1::Template* NotifyConfig::FindTemplate(const std::string& event_type, v1::Channel channel,
                                               const std::string& locale) const {
  for (const v1::Template& t : TemplatesFor(event_type)) {
    if (t.channel() == channel && t.locale() == locale) return &t;
  }
  return nullptr;
}

const v1::FrequencyLimit* NotifyConfig::FindLimit(v1::Channel channel) const {
  auto found = limits_.find(channel);
  return found == limits_.end() ? nullptr : &found->second;
}

absl::StatusOr<std::shared_ptr<const NotifyConfig>> NotifyConfigCache::Current(Session& s) {
  // The version first: whatever is read after it is at least as new.
  OMS_ASSIGN_OR_RETURN(int64_t version, store::ConfigVersion(s));
  {
    absl::MutexLock lock(&mu_);
    if (current_ != nullptr && current_->version() == version) return current_;
  }
  OMS_ASSIGN_OR_RETURN(std::shared_ptr<const NotifyConfig> loaded, NotifyConfig::Load(s, version));
  absl::MutexLock lock(&mu_);
  ++loads_;
  // Versions have no order: the last one loaded is kept. Transactions that disagree (one began
  // before a change, one after) each get what they see, at the price of a load.
  current_ = loaded;
  return loaded;
}

std::shared_ptr<const NotifyConfig> NotifyConfigCache::Latest() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

int64_t NotifyConfigCache::loads() const {
  absl::MutexLock lock(&mu_);
  return loads_;
}

}  // namespace oms::notify
