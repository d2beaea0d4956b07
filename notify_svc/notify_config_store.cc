// The configuration half of notify_store.h: templates, rules, frequency limits, recipients,
// their version, and customers' opt-outs.
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify::store {

absl::Status SaveTemplate(Session& s, const v1::Template& t) {
  return s
      .Exec(
          "INSERT INTO templates(event_type, channel, locale, body) VALUES(?, ?, ?, ?)"
          " ON CONFLICT(event_type, channel, locale) DO UPDATE SET body = excluded.body",
          {t.event_type(), static_cast<int>(t.channel()), t.locale(),
           SqlArg::Blob(SerializeProto(t))})
      .status();
}

absl::StatusOr<std::optional<v1::Template>> FindTemplate(Session& s, absl::string_view event_type,
                                                         v1::Channel channel,
                                                         absl::string_view locale) {
  return QueryProto<v1::Template>(
      s, "SELECT body FROM templates WHERE event_type = ? AND channel = ? AND locale = ?",
      {event_type, static_cast<int>(channel), locale});
}

absl::StatusOr<std::vector<v1::Template>> ListTemplates(Session& s, absl::string_view event_type) {
  return QueryProtos<v1::Template>(s,
                                   "SELECT body FROM templates WHERE (? = '' OR event_type = ?)"
                                   " ORDER BY event_type, channel, locale",
                                   {event_type, event_type});
}

absl::Status SaveRule(Session& s, const v1::Rule& rule) {
  return s
      .Exec(
          "INSERT INTO rules(event_type, name, body) VALUES(?, ?, ?)"
          " ON CONFLICT(event_type, name) DO UPDATE SET body = excluded.body",
          {rule.event_type(), rule.name(), SqlArg::Blob(SerializeProto(rule))})
      .status();
}

absl::StatusOr<std::optional<v1::Rule>> FindRule(Session& s, absl::string_view event_type,
                                                 absl::string_view name) {
  return QueryProto<v1::Rule>(s, "SELECT body FROM rules WHERE event_type = ? AND name = ?",
                              {event_type, name});
}

absl::Status DeleteRule(Session& s, absl::string_view event_type, absl::string_view name) {
  return s.Exec("DELETE FROM rules WHERE event_type = ? AND name = ?", {event_type, name}).status();
}

absl::StatusOr<std::vector<v1::Rule>> ListRules(Session& s) {
  return QueryProtos<v1::Rule>(s, "SELECT body FROM rules ORDER BY event_type, name", {});
}

absl::Status SaveLimit(Session& s, const v1::FrequencyLimit& limit) {
  return s
      .Exec(
          "INSERT INTO frequency_limits(channel, body) VALUES(?, ?)"
          " ON CONFLICT(channel) DO UPDATE SET body = excluded.body",
          {static_cast<int>(limit.channel()), SqlArg::Blob(SerializeProto(limit))})
      .status();
}

absl::Status DeleteLimit(Session& s, v1::Channel channel) {
  return s.Exec("DELETE FROM frequency_limits WHERE channel = ?", {static_cast<int>(channel)})
      .status();
}

absl::StatusOr<std::vector<v1::FrequencyLimit>> ListLimits(Session& s) {
  return QueryProtos<v1::FrequencyLimit>(s, "SELECT body FROM frequency_limits ORDER BY channel",
                                         {});
}

absl::Status SaveRecipient(Session& s, const v1::Recipient& r) {
  return s
      .Exec(
          "INSERT INTO recipients(recipient_id, body) VALUES(?, ?)"
          " ON CONFLICT(recipient_id) DO UPDATE SET body = excluded.body",
          {r.recipient_id(), SqlArg::Blob(SerializeProto(r))})
      .status();
}

absl::StatusOr<std::optional<v1::Recipient>> FindRecipient(Session& s, absl::string_view id) {
  return QueryProto<v1::Recipient>(s, "SELECT body FROM recipients WHERE recipient_id = ?", {id});
}

absl::StatusOr<std::vector<v1::Recipient>> ListRecipients(Session& s) {
  return QueryProtos<v1::Recipient>(s, "SELECT body FROM recipients ORDER BY recipient_id", {});
}

absl::StatusOr<int64_t> ConfigVersion(Session& s) {
  OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT version FROM config_version WHERE id = 1"));
  OMS_ASSIGN_OR_RETURN(bool found, rows.Next());
  if (!found) return absl::DataLossError("config_version has no row");
  return rows.Int(0);
}

absl::Status SetOptOut(Session& s, absl::string_view contact, v1::Channel channel, bool out) {
  if (out) {
    return s
        .Exec("INSERT OR IGNORE INTO opt_outs(contact, channel) VALUES(?, ?)",
              {crypto::LookupKey(contact), static_cast<int>(channel)})
        .status();
  }
  return s
      .Exec("DELETE FROM opt_outs WHERE contact = ? AND channel = ?",
            {crypto::LookupKey(contact), static_cast<int>(channel)})
      .status();
}

absl::StatusOr<bool> IsOptedOut(Session& s, absl::string_view contact, v1::Channel channel) {
  bool found = false;
  OMS_RETURN_IF_ERROR(s.ForEachRow("SELECT 1 FROM opt_outs WHERE contact = ? AND channel = ?",
                                   {crypto::LookupKey(contact), static_cast<int>(channel)},
                                   [&](const Rows&) {
                                     found = true;
                                     return absl::OkStatus();
                                   }));
  return found;
}

}  // namespace oms::notify::store
