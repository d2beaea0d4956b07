#include "notify_svc/notifier.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/time_util.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/template_engine.h"
#include "platform/page_token.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

namespace oms::notify {
namespace {

using google::protobuf::util::TimeUtil;

bool ValidChannel(int c) { return c != v1::CHANNEL_UNSPECIFIED && v1::Channel_IsValid(c); }

absl::Status ValidateTemplate(const v1::Template& t) {
  FieldErrors errors;
  bool known = EventPayloadType(t.event_type()) != nullptr;
  errors.Check(known, "template.event_type", "is not a known event type");
  errors.Check(ValidChannel(t.channel()) && t.channel() != v1::WEBHOOK, "template.channel",
               "must be EMAIL, SMS or IN_APP (webhooks carry the event itself)");
  errors.Check(t.locale() == "en" || t.locale() == "zh-CN", "template.locale",
               "must be en or zh-CN");
  errors.MaxLength(t.subject(), 200, "template.subject");
  if (errors.Required(t.body(), "template.body")) errors.MaxLength(t.body(), 5000, "template.body");
  if (known) {
    std::set<std::string> allowed = PlaceholdersFor(t.event_type());
    for (const auto& [field, text] : {std::make_pair("template.subject", &t.subject()),
                                      std::make_pair("template.body", &t.body())}) {
      for (const std::string& name : FindPlaceholders(*text)) {
        errors.Check(allowed.count(name) > 0, field,
                     absl::StrCat("unknown placeholder {{", name, "}} for ", t.event_type()));
      }
    }
  }
  return errors.ToStatus();
}

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

absl::Status ValidateRecipient(const v1::Recipient& r) {
  FieldErrors errors;
  if (errors.Required(r.recipient_id(), "recipient.recipient_id")) {
    errors.MaxLength(r.recipient_id(), 64, "recipient.recipient_id");
  }
  errors.Check(r.kind() != v1::Recipient::KIND_UNSPECIFIED && v1::Recipient::Kind_IsValid(r.kind()),
               "recipient.kind", "must be PERSON, GROUP or WEBHOOK");
  errors.Required(r.name(), "recipient.name");
  errors.Check(r.email().empty() || absl::StrContains(r.email(), "@"), "recipient.email",
               "is not an email address");
  errors.Check(r.locale().empty() || r.locale() == "en" || r.locale() == "zh-CN",
               "recipient.locale", "must be en or zh-CN");
  if (r.kind() == v1::Recipient::WEBHOOK) {
    errors.Check(absl::StartsWith(r.webhook_url(), "http://") ||
                     absl::StartsWith(r.webhook_url(), "https://"),
                 "recipient.webhook_url", "must be an http(s) URL");
    for (const std::string& type : r.event_types()) {
      errors.Check(EventPayloadType(type) != nullptr, "recipient.event_types",
                   absl::StrCat("unknown event type ", type));
    }
  } else {
    errors.Check(!r.email().empty() || !r.phone().empty() || !r.in_app_id().empty(), "recipient",
                 "needs an email, phone or in_app_id");
  }
  for (int a : r.audiences()) {
    errors.Check(a != v1::AUDIENCE_UNSPECIFIED && a != v1::CUSTOMER && a != v1::ASSIGNEE &&
                     v1::Audience_IsValid(a),
                 "recipient.audiences", "must be OPS, REVIEWER, PURCHASING or ERP");
  }
  errors.Check(r.quiet_start_minute() >= 0 && r.quiet_start_minute() < 1440 &&
                   r.quiet_end_minute() >= 0 && r.quiet_end_minute() < 1440,
               "recipient.quiet_hours", "minutes must be between 0 and 1439");
  errors.Check(r.utc_offset_minutes() >= -720 && r.utc_offset_minutes() <= 840,
               "recipient.utc_offset_minutes", "must be between -720 and 840");
  return errors.ToStatus();
}

// Secrets are write-only.
v1::Recipient Redacted(v1::Recipient r) {
  if (!r.webhook_secret().empty()) r.set_webhook_secret("(set)");
  return r;
}

}  // namespace

std::string NormalizeContact(const std::string& contact) {
  if (absl::StrContains(contact, "@")) return absl::AsciiStrToLower(contact);
  std::string out;
  for (char c : contact) {
    if (absl::ascii_isdigit(c) || c == '+') out.push_back(c);
  }
  return out;
}

absl::StatusOr<v1::Template> Notifier::SaveTemplate(const v1::SaveTemplateRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateTemplate(request.template_()));
  v1::Template answer = request.template_();
  *answer.mutable_updated_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveTemplate(s, answer); }));
  return answer;
}

absl::StatusOr<v1::ListTemplatesResponse> Notifier::ListTemplates(
    const v1::ListTemplatesRequest& request) {
  v1::ListTemplatesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Template> all,
                         store::ListTemplates(s, request.event_type()));
    for (auto& t : all) *response.add_templates() = std::move(t);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::PreviewTemplateResponse> Notifier::PreviewTemplate(
    const v1::PreviewTemplateRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateTemplate(request.template_()));
  Values values(request.sample().begin(), request.sample().end());
  v1::PreviewTemplateResponse response;
  response.set_subject(Render(request.template_().subject(), values));
  response.set_body(Render(request.template_().body(), values));
  for (const std::string& name : PlaceholdersFor(request.template_().event_type())) {
    response.add_placeholders(name);
  }
  return response;
}

absl::StatusOr<v1::Rule> Notifier::SaveRule(const v1::SaveRuleRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateRule(request.rule()));
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveRule(s, request.rule()); }));
  return request.rule();
}

absl::StatusOr<v1::Rule> Notifier::DeleteRule(const v1::DeleteRuleRequest& request) {
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

absl::StatusOr<v1::ListRulesResponse> Notifier::ListRules() {
  v1::ListRulesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Rule> rules, store::ListRules(s));
    for (auto& r : rules) *response.add_rules() = std::move(r);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::FrequencyLimit> Notifier::SetFrequencyLimit(
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

absl::StatusOr<v1::ListFrequencyLimitsResponse> Notifier::ListFrequencyLimits() {
  v1::ListFrequencyLimitsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::FrequencyLimit> limits, store::ListLimits(s));
    for (auto& l : limits) *response.add_limits() = std::move(l);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Recipient> Notifier::SaveRecipient(const v1::SaveRecipientRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateRecipient(request.recipient()));
  v1::Recipient recipient = request.recipient();
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    if (recipient.webhook_secret() == "(set)") {  // a read-back record: keep the stored secret
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Recipient> old,
                           store::FindRecipient(s, recipient.recipient_id()));
      recipient.set_webhook_secret(old.has_value() ? old->webhook_secret() : "");
    }
    return store::SaveRecipient(s, recipient);
  }));
  return Redacted(recipient);
}

absl::StatusOr<v1::ListRecipientsResponse> Notifier::ListRecipients(
    const v1::ListRecipientsRequest& request) {
  v1::ListRecipientsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Recipient> all, store::ListRecipients(s));
    for (v1::Recipient& r : all) {
      bool match = request.audience() == v1::AUDIENCE_UNSPECIFIED;
      for (int a : r.audiences()) match = match || a == request.audience();
      if (match) *response.add_recipients() = Redacted(r);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::SetOptOutResponse> Notifier::SetOptOut(const v1::SetOptOutRequest& request) {
  FieldErrors errors;
  errors.Required(request.contact(), "contact");
  errors.Check(ValidChannel(request.channel()), "channel", "is required");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) {
    return store::SetOptOut(s, NormalizeContact(request.contact()), request.channel(),
                            request.opted_out());
  }));
  return v1::SetOptOutResponse();
}

absl::StatusOr<v1::Message> Notifier::SendNotification(const v1::SendNotificationRequest& request) {
  FieldErrors errors;
  errors.Check(ValidChannel(request.channel()), "channel", "is required");
  if (errors.Required(request.address(), "address"))
    errors.MaxLength(request.address(), 500, "address");
  errors.MaxLength(request.subject(), 200, "subject");
  if (errors.Required(request.body(), "body")) errors.MaxLength(request.body(), 10000, "body");
  errors.Check(request.channel() != v1::WEBHOOK || absl::StartsWith(request.address(), "http://") ||
                   absl::StartsWith(request.address(), "https://"),
               "address", "must be an http(s) URL for WEBHOOK");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Message answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "SendNotification", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        v1::Message message;
        // Each manual send is its own event; with a key, a retried call is the same one.
        message.set_event_id(absl::StrCat("manual:", request.idempotency_key().empty()
                                                         ? host_->ids().Next("man")
                                                         : request.idempotency_key()));
        message.set_event_type("Manual");
        message.set_recipient(absl::StrCat("address:", NormalizeContact(request.address())));
        message.set_channel(request.channel());
        message.set_address(request.address());
        message.set_subject(request.subject());
        message.set_body(request.body());
        message.set_urgent(request.urgent());
        OMS_ASSIGN_OR_RETURN(std::optional<v1::Message> stored,
                             dispatcher_->Admit(s, message, nullptr, ""));
        if (!stored.has_value())
          return absl::AlreadyExistsError("this notification was already sent");
        answer = *stored;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::ListMessagesResponse> Notifier::ListMessages(
    const v1::ListMessagesRequest& request) {
  FieldErrors errors;
  errors.Check(request.page_size() >= 0 && request.page_size() <= 1000, "page_size",
               "must be between 0 and 1000");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::MessageQuery query;
  query.recipient = request.recipient();
  query.event_id = request.event_id();
  query.channel = request.channel();
  for (int st : request.statuses()) query.statuses.push_back(st);
  if (request.has_created_from())
    query.created_from_us = TimeUtil::TimestampToMicroseconds(request.created_from());
  if (request.has_created_to())
    query.created_to_us = TimeUtil::TimestampToMicroseconds(request.created_to());
  if (!request.page_token().empty()) {
    OMS_ASSIGN_OR_RETURN(std::string position, DecodePageToken(request.page_token(), request));
    std::pair<std::string, std::string> key = absl::StrSplit(position, absl::MaxSplits(':', 1));
    int64_t created_us;
    if (!absl::SimpleAtoi(key.first, &created_us)) {
      return absl::InvalidArgumentError("page_token: is not a token from ListMessages");
    }
    query.after = std::make_pair(created_us, key.second);
  }
  int page_size = request.page_size() == 0 ? 100 : request.page_size();
  query.limit = page_size + 1;
  v1::ListMessagesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> rows, store::ListMessages(s, query));
    bool more = static_cast<int>(rows.size()) > page_size;
    if (more) rows.pop_back();
    for (auto& m : rows) *response.add_messages() = std::move(m);
    if (more) {
      const v1::Message& last = response.messages(response.messages_size() - 1);
      response.set_next_page_token(
          EncodePageToken(absl::StrCat(TimeUtil::TimestampToMicroseconds(last.created_at()), ":",
                                       last.message_id()),
                          request));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Message> Notifier::RetryMessage(const v1::RetryMessageRequest& request) {
  v1::Message message;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(message, store::LoadMessage(s, request.message_id()));
    if (message.status() != v1::Message::FAILED && message.status() != v1::Message::DEAD) {
      return absl::FailedPreconditionError(absl::StrCat("message ", message.message_id(), " is ",
                                                        v1::Message::Status_Name(message.status()),
                                                        ": only FAILED or DEAD can be retried"));
    }
    message.set_status(v1::Message::QUEUED);
    message.set_attempts(0);
    *message.mutable_next_attempt_at() = ToProtoTime(host_->clock().Now());
    *message.mutable_updated_at() = message.next_attempt_at();
    return store::SaveMessage(s, message);
  }));
  return message;
}

absl::StatusOr<v1::ListInboxResponse> Notifier::ListInbox(const v1::ListInboxRequest& request) {
  FieldErrors errors;
  errors.Required(request.in_app_id(), "in_app_id");
  errors.Check(request.limit() >= 0 && request.limit() <= 1000, "limit",
               "must be between 0 and 1000");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ListInboxResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::InboxItem> items,
                         store::Inbox(s, request.in_app_id(), request.unread_only(),
                                      request.limit() == 0 ? 100 : request.limit()));
    for (auto& item : items) *response.add_items() = std::move(item);
    OMS_ASSIGN_OR_RETURN(int64_t unread, store::UnreadCount(s, request.in_app_id()));
    response.set_unread(unread);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::MarkReadResponse> Notifier::MarkRead(const v1::MarkReadRequest& request) {
  FieldErrors errors;
  errors.Required(request.in_app_id(), "in_app_id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::MarkReadResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(int64_t marked, store::MarkRead(s, request.in_app_id(),
                                                         {request.message_ids().begin(),
                                                          request.message_ids().end()}));
    response.set_marked(marked);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<int> Notifier::SeedFromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("defaults file ", path, " cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  v1::Defaults defaults;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &defaults)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a Defaults text proto"));
  }
  for (const v1::Template& t : defaults.templates()) {
    absl::Status valid = ValidateTemplate(t);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": template ", t.event_type(), "/",
                                                     v1::Channel_Name(t.channel()), "/", t.locale(),
                                                     ": ", valid.message()));
    }
  }
  for (const v1::Rule& r : defaults.rules()) {
    absl::Status valid = ValidateRule(r);
    if (!valid.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": rule ", r.event_type(), ": ", valid.message()));
    }
  }
  int added = 0;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    for (v1::Template t : defaults.templates()) {
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Template> existing,
                           store::FindTemplate(s, t.event_type(), t.channel(), t.locale()));
      if (existing.has_value()) continue;
      *t.mutable_updated_at() = ToProtoTime(host_->clock().Now());
      OMS_RETURN_IF_ERROR(store::SaveTemplate(s, t));
      ++added;
    }
    for (const v1::Rule& r : defaults.rules()) {
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Rule> existing,
                           store::FindRule(s, r.event_type(), r.name()));
      if (existing.has_value()) continue;
      OMS_RETURN_IF_ERROR(store::SaveRule(s, r));
      ++added;
    }
    return absl::OkStatus();
  }));
  return added;
}

}  // namespace oms::notify
