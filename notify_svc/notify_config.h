// What the dispatcher reads for every event (rules, templates, frequency limits, staff
// recipients), held in memory and loaded again only when the store's configuration version
// has changed (notify_store's triggers set it anew on every write to those tables, from this
// process or a replica). Before, each event read the rules and every recipient (opening their
// sealed fields) and each message its template and limit: a staff directory of 200 cost
// each order ~0.9 ms of notify_svc CPU though none of them was notified.
#ifndef OMS_NOTIFY_SVC_NOTIFY_CONFIG_H_
#define OMS_NOTIFY_SVC_NOTIFY_CONFIG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/storage/database.h"

namespace oms::notify {

// The placeholder (and rule condition) of the customer's tier.
inline constexpr char kTierPlaceholder[] = "customer.tier";

// One consistent reading of the configuration, never changed once made.
class NotifyConfig {
 public:
  // Reads everything through `s`; `version` is what ConfigVersion answered first.
  static absl::StatusOr<std::shared_ptr<const NotifyConfig>> Load(Session& s, int64_t version);

  int64_t version() const { return version_; }
  // The rules of an event type, by name (empty when none).
  const std::vector<v1::Rule>& RulesFor(const std::string& event_type) const;
  // The event type's templates, by channel and locale (empty when none).
  const std::vector<v1::Template>& TemplatesFor(const std::string& event_type) const;
  const v1::Template* FindTemplate(const std::string& event_type, v1::Channel channel,
                                   const std::string& locale) const;
  const v1::FrequencyLimit* FindLimit(v1::Channel channel) const;
  // Whether a rule (its `when`) or a template of the event type uses the customer's tier
  // (customer.tier): worked out once per copy, not per event.
  bool UsesTier(const std::string& event_type) const { return uses_tier_.count(event_type) > 0; }
  // Every staff recipient, group and webhook subscriber, by id.
  const std::vector<v1::Recipient>& recipients() const { return recipients_; }

 private:
  int64_t version_ = 0;
  std::map<std::string, std::vector<v1::Rule>> rules_;
  std::map<std::string, std::vector<v1::Template>> templates_;
  std::map<v1::Channel, v1::FrequencyLimit> limits_;
  std::vector<v1::Recipient> recipients_;
  std::set<std::string> uses_tier_;  // event types
};

// The current NotifyConfig, shared by the threads that dispatch. Thread-safe.
class NotifyConfigCache {
 public:
  // The configuration as `s` sees it: one row read when nothing changed since the last load.
  // Called inside the caller's transaction, so the answer agrees with what it writes.
  absl::StatusOr<std::shared_ptr<const NotifyConfig>> Current(Session& s);
  // The copy loaded last, without asking the store whether it is still current (nullptr
  // before the first load): for guesses a stale copy cannot make wrong.
  std::shared_ptr<const NotifyConfig> Latest() const;
  // Loads so far (the first and one per change seen), for tests.
  int64_t loads() const;

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const NotifyConfig> current_ ABSL_GUARDED_BY(mu_);
  int64_t loads_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_CONFIG_H_
