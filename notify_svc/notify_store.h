#ifndef OMS_NOTIFY_SVC_NOTIFY_STORE_H_
#define OMS_NOTIFY_SVC_NOTIFY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/storage/database.h"

namespace oms::notify {

// All SQL of notify_svc; functions run inside the caller's transaction.
namespace store {

const std::vector<Migration>& Migrations();

// ---- configuration
absl::Status SaveTemplate(Session& s, const v1::Template& t);
absl::StatusOr<std::optional<v1::Template>> FindTemplate(Session& s, absl::string_view event_type,
                                                         v1::Channel channel,
                                                         absl::string_view locale);
absl::StatusOr<std::vector<v1::Template>> ListTemplates(Session& s, absl::string_view event_type);
absl::Status SaveRule(Session& s, const v1::Rule& rule);
absl::StatusOr<std::optional<v1::Rule>> FindRule(Session& s, absl::string_view event_type,
                                                 absl::string_view name);
absl::Status DeleteRule(Session& s, absl::string_view event_type, absl::string_view name);
absl::StatusOr<std::vector<v1::Rule>> ListRules(Session& s);
absl::Status SaveLimit(Session& s, const v1::FrequencyLimit& limit);
absl::Status DeleteLimit(Session& s, v1::Channel channel);
absl::StatusOr<std::vector<v1::FrequencyLimit>> ListLimits(Session& s);
absl::Status SaveRecipient(Session& s, const v1::Recipient& recipient);
absl::StatusOr<std::optional<v1::Recipient>> FindRecipient(Session& s, absl::string_view id);
absl::StatusOr<std::vector<v1::Recipient>> ListRecipients(Session& s);
// Set to a new random value by every change to templates, rules, frequency limits and
// recipients (triggers).
absl::StatusOr<int64_t> ConfigVersion(Session& s);
absl::Status SetOptOut(Session& s, absl::string_view contact, v1::Channel channel, bool out);
absl::StatusOr<bool> IsOptedOut(Session& s, absl::string_view contact, v1::Channel channel);

// ---- customer contacts of orders (from the order feed)
struct Contact {
  std::string name, phone, email, locale;
};
absl::Status SaveContact(Session& s, absl::string_view order_id, const Contact& contact);
absl::StatusOr<std::optional<Contact>> FindContact(Session& s, absl::string_view order_id);

// ---- messages
// Answers false (and stores nothing) when (event_id, recipient, channel) already has one:
// the same notification is never created twice.
absl::StatusOr<bool> InsertMessage(Session& s, const v1::Message& message);
absl::Status SaveMessage(Session& s, const v1::Message& message);
absl::StatusOr<v1::Message> LoadMessage(Session& s, absl::string_view message_id);
// QUEUED or FAILED messages whose next attempt is due, oldest first.
absl::StatusOr<std::vector<v1::Message>> DueMessages(Session& s, absl::Time now, int limit);
// Whether one channel has a due message, and whether a digest's window has ended: the
// courier's look before it opens a write transaction.
absl::StatusOr<bool> AnyDueMessageOn(Session& s, v1::Channel channel, absl::Time now);
absl::StatusOr<bool> AnyDueDigest(Session& s, absl::Time now);
// The same for one channel, from its own index.
absl::StatusOr<std::vector<v1::Message>> DueMessagesOn(Session& s, v1::Channel channel,
                                                       absl::Time now, int limit);
absl::StatusOr<std::vector<v1::Message>> MessagesInStatus(Session& s, v1::Message::Status status);
// Messages counted against a frequency limit: queued, in flight or sent since `since`, at
// most `up_to` of them (the limit), and when the first of those was made.
struct Counted {
  int64_t messages = 0;
  absl::Time first_created;  // when messages > 0
};
absl::StatusOr<Counted> CountedSince(Session& s, absl::string_view recipient, v1::Channel channel,
                                     absl::Time since, int64_t up_to);
struct MessageQuery {
  std::string recipient, event_id;
  int channel = 0;
  std::vector<int> statuses;
  std::optional<int64_t> created_from_us, created_to_us;
  std::optional<std::pair<int64_t, std::string>> after;
  int limit = 100;
};
absl::StatusOr<std::vector<v1::Message>> ListMessages(Session& s, const MessageQuery& query);

// ---- digests: folded messages waiting for their window to end
absl::Status AddToDigest(Session& s, const v1::Message& folded, absl::Time window_end);
struct Digest {
  std::string recipient, address;
  v1::Channel channel;
  int64_t window_end_us;
  std::vector<std::string> subjects;
};
absl::StatusOr<std::vector<Digest>> DueDigests(Session& s, absl::Time now);
absl::Status DeleteDigest(Session& s, const Digest& digest);

// ---- in-app inbox
absl::Status AddInboxItem(Session& s, const v1::InboxItem& item);
absl::StatusOr<std::vector<v1::InboxItem>> Inbox(Session& s, absl::string_view in_app_id,
                                                 bool unread_only, int limit);
absl::StatusOr<std::vector<v1::InboxItem>> InboxAfter(Session& s, absl::string_view in_app_id,
                                                      int64_t after_seq);
absl::StatusOr<int64_t> UnreadCount(Session& s, absl::string_view in_app_id);
absl::StatusOr<int64_t> MarkRead(Session& s, absl::string_view in_app_id,
                                 const std::vector<std::string>& message_ids);

}  // namespace store
}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_STORE_H_
