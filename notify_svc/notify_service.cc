#include "notify_svc/notify_service.h"

#include "notify_svc/notify_store.h"
#include "platform/info_only_service.h"
#include "platform/status.h"

namespace oms::notify {

grpc::Status NotifyService::SaveTemplate(grpc::ServerContext*,
                                         const v1::SaveTemplateRequest* request,
                                         v1::Template* response) {
  return Reply(notifier_.SaveTemplate(*request), response);
}

grpc::Status NotifyService::ListTemplates(grpc::ServerContext*,
                                          const v1::ListTemplatesRequest* request,
                                          v1::ListTemplatesResponse* response) {
  return Reply(notifier_.ListTemplates(*request), response);
}

grpc::Status NotifyService::PreviewTemplate(grpc::ServerContext*,
                                            const v1::PreviewTemplateRequest* request,
                                            v1::PreviewTemplateResponse* response) {
  return Reply(notifier_.PreviewTemplate(*request), response);
}

grpc::Status NotifyService::SaveRule(grpc::ServerContext*, const v1::SaveRuleRequest* request,
                                     v1::Rule* response) {
  return Reply(notifier_.SaveRule(*request), response);
}

grpc::Status NotifyService::DeleteRule(grpc::ServerContext*, const v1::DeleteRuleRequest* request,
                                       v1::Rule* response) {
  return Reply(notifier_.DeleteRule(*request), response);
}

grpc::Status NotifyService::ListRules(grpc::ServerContext*, const v1::ListRulesRequest*,
                                      v1::ListRulesResponse* response) {
  return Reply(notifier_.ListRules(), response);
}

grpc::Status NotifyService::SetFrequencyLimit(grpc::ServerContext*,
                                              const v1::SetFrequencyLimitRequest* request,
                                              v1::FrequencyLimit* response) {
  return Reply(notifier_.SetFrequencyLimit(*request), response);
}

grpc::Status NotifyService::ListFrequencyLimits(grpc::ServerContext*,
                                                const v1::ListFrequencyLimitsRequest*,
                                                v1::ListFrequencyLimitsResponse* response) {
  return Reply(notifier_.ListFrequencyLimits(), response);
}

grpc::Status NotifyService::SaveRecipient(grpc::ServerContext*,
                                          const v1::SaveRecipientRequest* request,
                                          v1::Recipient* response) {
  return Reply(notifier_.SaveRecipient(*request), response);
}

grpc::Status NotifyService::ListRecipients(grpc::ServerContext*,
                                           const v1::ListRecipientsRequest* request,
                                           v1::ListRecipientsResponse* response) {
  return Reply(notifier_.ListRecipients(*request), response);
}

grpc::Status NotifyService::SetOptOut(grpc::ServerContext*, const v1::SetOptOutRequest* request,
                                      v1::SetOptOutResponse* response) {
  return Reply(notifier_.SetOptOut(*request), response);
}

grpc::Status NotifyService::SendNotification(grpc::ServerContext*,
                                             const v1::SendNotificationRequest* request,
                                             v1::Message* response) {
  return Reply(notifier_.SendNotification(*request), response);
}

grpc::Status NotifyService::ListMessages(grpc::ServerContext*,
                                         const v1::ListMessagesRequest* request,
                                         v1::ListMessagesResponse* response) {
  return Reply(notifier_.ListMessages(*request), response);
}

grpc::Status NotifyService::RetryMessage(grpc::ServerContext*,
                                         const v1::RetryMessageRequest* request,
                                         v1::Message* response) {
  return Reply(notifier_.RetryMessage(*request), response);
}

grpc::Status NotifyService::RunDelivery(grpc::ServerContext*, const v1::RunDeliveryRequest*,
                                        v1::RunDeliveryResponse* response) {
  return Reply(courier_.RunOnce(), response);
}

grpc::Status NotifyService::ListInbox(grpc::ServerContext*, const v1::ListInboxRequest* request,
                                      v1::ListInboxResponse* response) {
  return Reply(notifier_.ListInbox(*request), response);
}

grpc::Status NotifyService::MarkRead(grpc::ServerContext*, const v1::MarkReadRequest* request,
                                     v1::MarkReadResponse* response) {
  return Reply(notifier_.MarkRead(*request), response);
}

grpc::Status NotifyService::WatchInbox(grpc::ServerContext* context,
                                       const v1::WatchInboxRequest* request,
                                       grpc::ServerWriter<v1::InboxItem>* writer) {
  if (request->in_app_id().empty()) {
    return ToGrpcStatus(absl::InvalidArgumentError("in_app_id: is required"));
  }
  int64_t cursor = request->after_seq();
  while (!context->IsCancelled()) {
    uint64_t generation = host_->commits().Generation();  // before reading: no missed wake-up
    std::vector<v1::InboxItem> items;
    absl::Status read = host_->db().Read([&](Session& s) -> absl::Status {
      OMS_ASSIGN_OR_RETURN(items, store::InboxAfter(s, request->in_app_id(), cursor));
      return absl::OkStatus();
    });
    if (!read.ok()) return ToGrpcStatus(read);
    for (const v1::InboxItem& item : items) {
      if (!writer->Write(item)) return grpc::Status::OK;
      cursor = item.seq();
    }
    if (!host_->commits().WaitForChange(generation, absl::Milliseconds(250))) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down");
    }
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled by the caller");
}

grpc::Status NotifyService::GetServiceInfo(grpc::ServerContext*,
                                           const common::v1::GetServiceInfoRequest*,
                                           common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::notify
