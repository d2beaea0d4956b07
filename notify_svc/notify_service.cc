#include "notify_svc/notify_service.h"

#include "notify_svc/notify_store.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/request_limits.h"
#include "platform/server/service_info.h"

namespace oms::notify {

grpc::Status NotifyService::SaveTemplate(grpc::ServerContext*,
                                         const v1::SaveTemplateRequest* request,
                                         v1::Template* response) {
  return Serve(*request, response, [&] { return templates_.Save(*request); });
}

grpc::Status NotifyService::ListTemplates(grpc::ServerContext*,
                                          const v1::ListTemplatesRequest* request,
                                          v1::ListTemplatesResponse* response) {
  return Serve(*request, response, [&] { return templates_.List(*request); });
}

grpc::Status NotifyService::PreviewTemplate(grpc::ServerContext*,
                                            const v1::PreviewTemplateRequest* request,
                                            v1::PreviewTemplateResponse* response) {
  return Serve(*request, response, [&] { return templates_.Preview(*request); });
}

grpc::Status NotifyService::SaveRule(grpc::ServerContext*, const v1::SaveRuleRequest* request,
                                     v1::Rule* response) {
  return Serve(*request, response, [&] { return rules_.Save(*request); });
}

grpc::Status NotifyService::DeleteRule(grpc::ServerContext*, const v1::DeleteRuleRequest* request,
                                       v1::Rule* response) {
  return Serve(*request, response, [&] { return rules_.Delete(*request); });
}

grpc::Status NotifyService::ListRules(grpc::ServerContext*, const v1::ListRulesRequest*,
                                      v1::ListRulesResponse* response) {
  return Reply(rules_.List(), response);
}

grpc::Status NotifyService::SetFrequencyLimit(grpc::ServerContext*,
                                              const v1::SetFrequencyLimitRequest* request,
                                              v1::FrequencyLimit* response) {
  return Serve(*request, response, [&] { return rules_.SetFrequencyLimit(*request); });
}

grpc::Status NotifyService::ListFrequencyLimits(grpc::ServerContext*,
                                                const v1::ListFrequencyLimitsRequest*,
                                                v1::ListFrequencyLimitsResponse* response) {
  return Reply(rules_.ListFrequencyLimits(), response);
}

grpc::Status NotifyService::SaveRecipient(grpc::ServerContext*,
                                          const v1::SaveRecipientRequest* request,
                                          v1::Recipient* response) {
  return Serve(*request, response, [&] { return recipients_.Save(*request); });
}

grpc::Status NotifyService::ListRecipients(grpc::ServerContext*,
                                           const v1::ListRecipientsRequest* request,
                                           v1::ListRecipientsResponse* response) {
  return Serve(*request, response, [&] { return recipients_.List(*request); });
}

grpc::Status NotifyService::SetOptOut(grpc::ServerContext*, const v1::SetOptOutRequest* request,
                                      v1::SetOptOutResponse* response) {
  return Serve(*request, response, [&] { return recipients_.SetOptOut(*request); });
}

grpc::Status NotifyService::SendNotification(grpc::ServerContext*,
                                             const v1::SendNotificationRequest* request,
                                             v1::Message* response) {
  return Serve(*request, response, [&] { return messages_.Send(*request); });
}

grpc::Status NotifyService::ListMessages(grpc::ServerContext*,
                                         const v1::ListMessagesRequest* request,
                                         v1::ListMessagesResponse* response) {
  return Serve(*request, response, [&] { return messages_.List(*request); });
}

grpc::Status NotifyService::RetryMessage(grpc::ServerContext*,
                                         const v1::RetryMessageRequest* request,
                                         v1::Message* response) {
  return Serve(*request, response, [&] { return messages_.Retry(*request); });
}

grpc::Status NotifyService::RunDelivery(grpc::ServerContext*, const v1::RunDeliveryRequest*,
                                        v1::RunDeliveryResponse* response) {
  return Reply(courier_.RunOnce(), response);
}

grpc::Status NotifyService::ListInbox(grpc::ServerContext*, const v1::ListInboxRequest* request,
                                      v1::ListInboxResponse* response) {
  return Serve(*request, response, [&] { return inbox_.List(*request); });
}

grpc::Status NotifyService::MarkRead(grpc::ServerContext*, const v1::MarkReadRequest* request,
                                     v1::MarkReadResponse* response) {
  return Serve(*request, response, [&] { return inbox_.MarkRead(*request); });
}

grpc::Status NotifyService::WatchInbox(grpc::ServerContext* context,
                                       const v1::WatchInboxRequest* request,
                                       grpc::ServerWriter<v1::InboxItem>* writer) {
  if (absl::Status limits = CheckRequestLimits(*request); !limits.ok()) return ToGrpcStatus(limits);
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
