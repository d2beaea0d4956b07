#include "notify_svc/message_log.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

namespace {

using google::protobuf::util::TimeUtil;

}  // namespace

absl::StatusOr<v1::Message> MessageLog::Send(const v1::SendNotificationRequest& request) {
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
        // A person's message to a customer's phone or email respects their opt-out of the
        // channel too (an SMS STOP means every text); the answer says it was suppressed.
        bool to_a_customer = request.channel() == v1::EMAIL || request.channel() == v1::SMS;
        OMS_ASSIGN_OR_RETURN(
            std::optional<v1::Message> stored,
            dispatcher_->Admit(s, message, nullptr, to_a_customer ? request.address() : ""));
        if (!stored.has_value())
          return absl::AlreadyExistsError("this notification was already sent");
        answer = *stored;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::ListMessagesResponse> MessageLog::List(const v1::ListMessagesRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  store::MessageQuery query;
  query.after = page.CreatedAfter(errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  query.recipient = request.recipient();
  query.event_id = request.event_id();
  query.channel = request.channel();
  for (int st : request.statuses()) query.statuses.push_back(st);
  if (request.has_created_from())
    query.created_from_us = TimeUtil::TimestampToMicroseconds(request.created_from());
  if (request.has_created_to())
    query.created_to_us = TimeUtil::TimestampToMicroseconds(request.created_to());
  query.limit = page.fetch_limit();
  v1::ListMessagesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> rows, store::ListMessages(s, query));
    response.set_next_page_token(
        page.Take(rows, response.mutable_messages(), [](const v1::Message& last) {
          return ListPage::CreatedKey(last.created_at(), last.message_id());
        }));
    return absl::OkStatus();
  }));
  return response;
}

absl::Status MessageLog::Retriable(const v1::Message& message) const {
  std::string is = absl::StrCat("message ", message.message_id(), " is ",
                                v1::Message::Status_Name(message.status()));
  if (message.status() == v1::Message::FAILED || message.status() == v1::Message::DEAD) {
    return absl::OkStatus();
  }
  if (message.status() != v1::Message::SUPPRESSED) {
    return absl::FailedPreconditionError(absl::StrCat(
        is, ": only FAILED, DEAD or SUPPRESSED for want of a provider can be retried"));
  }
  if (message.suppressed_by() != v1::Message::NO_PROVIDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(is, " (", message.last_error(), "): not sent on purpose, so not retried"));
  }
  if (const std::string* why = dispatcher_->Undeliverable(message.channel())) {
    return absl::FailedPreconditionError(
        absl::StrCat(is, " and there is still ", *why, ": configure one, then retry"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Message> MessageLog::Retry(const v1::RetryMessageRequest& request) {
  v1::Message message;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(message, store::LoadMessage(s, request.message_id()));
    OMS_RETURN_IF_ERROR(Retriable(message));
    message.set_status(v1::Message::QUEUED);
    message.set_suppressed_by(v1::Message::SUPPRESSION_UNSPECIFIED);
    message.set_attempts(0);
    *message.mutable_next_attempt_at() = ToProtoTime(host_->clock().Now());
    *message.mutable_updated_at() = message.next_attempt_at();
    return store::SaveMessage(s, message);
  }));
  return message;
}

}  // namespace oms::notify
