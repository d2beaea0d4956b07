#include "notify_svc/message_log.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "platform/page_token.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

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
        OMS_ASSIGN_OR_RETURN(std::optional<v1::Message> stored,
                             dispatcher_->Admit(s, message, nullptr, ""));
        if (!stored.has_value())
          return absl::AlreadyExistsError("this notification was already sent");
        answer = *stored;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::ListMessagesResponse> MessageLog::List(const v1::ListMessagesRequest& request) {
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

absl::StatusOr<v1::Message> MessageLog::Retry(const v1::RetryMessageRequest& request) {
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

}  // namespace oms::notify
