#include "notify_svc/recipients.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

namespace {

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

absl::StatusOr<v1::Recipient> Recipients::Save(const v1::SaveRecipientRequest& request) {
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

absl::StatusOr<v1::ListRecipientsResponse> Recipients::List(
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

absl::StatusOr<v1::SetOptOutResponse> Recipients::SetOptOut(const v1::SetOptOutRequest& request) {
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

}  // namespace oms::notify
