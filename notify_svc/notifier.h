#ifndef OMS_NOTIFY_SVC_NOTIFIER_H_
#define OMS_NOTIFY_SVC_NOTIFIER_H_

#include <string>

#include "absl/status/statusor.h"
#include "notify_svc/dispatcher.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/service_host.h"

namespace oms::notify {

// What people configure and do: templates (placeholders checked on save), rules, frequency
// limits, recipients, opt-outs, manual sends, the message log and the in-app inbox.
// Thread-safe.
class Notifier {
 public:
  Notifier(ServiceHost* host, Dispatcher* dispatcher) : host_(host), dispatcher_(dispatcher) {}

  absl::StatusOr<v1::Template> SaveTemplate(const v1::SaveTemplateRequest& request);
  absl::StatusOr<v1::ListTemplatesResponse> ListTemplates(const v1::ListTemplatesRequest& request);
  absl::StatusOr<v1::PreviewTemplateResponse> PreviewTemplate(
      const v1::PreviewTemplateRequest& request);
  absl::StatusOr<v1::Rule> SaveRule(const v1::SaveRuleRequest& request);
  absl::StatusOr<v1::Rule> DeleteRule(const v1::DeleteRuleRequest& request);
  absl::StatusOr<v1::ListRulesResponse> ListRules();
  absl::StatusOr<v1::FrequencyLimit> SetFrequencyLimit(const v1::SetFrequencyLimitRequest& request);
  absl::StatusOr<v1::ListFrequencyLimitsResponse> ListFrequencyLimits();
  absl::StatusOr<v1::Recipient> SaveRecipient(const v1::SaveRecipientRequest& request);
  absl::StatusOr<v1::ListRecipientsResponse> ListRecipients(
      const v1::ListRecipientsRequest& request);
  absl::StatusOr<v1::SetOptOutResponse> SetOptOut(const v1::SetOptOutRequest& request);

  absl::StatusOr<v1::Message> SendNotification(const v1::SendNotificationRequest& request);
  absl::StatusOr<v1::ListMessagesResponse> ListMessages(const v1::ListMessagesRequest& request);
  // FAILED or DEAD messages go back to the queue for an attempt now.
  absl::StatusOr<v1::Message> RetryMessage(const v1::RetryMessageRequest& request);

  absl::StatusOr<v1::ListInboxResponse> ListInbox(const v1::ListInboxRequest& request);
  absl::StatusOr<v1::MarkReadResponse> MarkRead(const v1::MarkReadRequest& request);

  // Adds the templates and rules of a text-proto Defaults file that are missing; answers
  // how many were added.
  absl::StatusOr<int> SeedFromFile(const std::string& path);

 private:
  ServiceHost* host_;
  Dispatcher* dispatcher_;
};

// Contacts are compared in one form: emails lower-cased, phones without separators.
std::string NormalizeContact(const std::string& contact);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFIER_H_
