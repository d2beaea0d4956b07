#ifndef OMS_NOTIFY_SVC_NOTIFY_SERVICE_H_
#define OMS_NOTIFY_SVC_NOTIFY_SERVICE_H_

#include "notify_svc/courier.h"
#include "notify_svc/dispatcher.h"
#include "notify_svc/inbox.h"
#include "notify_svc/message_log.h"
#include "notify_svc/recipients.h"
#include "notify_svc/rules.h"
#include "notify_svc/templates.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

// gRPC adapter of oms.notify.v1.NotifyService: one call per method into the concept that
// owns it (templates, rules, recipients, message log, inbox, courier); WatchInbox streams new inbox
// items as they commit. Thread-safe.
class NotifyService final : public v1::NotifyService::Service {
 public:
  NotifyService(ServiceHost* host, CourierOptions courier_options)
      : host_(host),
        dispatcher_(host),
        courier_(host, std::move(courier_options)),
        templates_(host),
        rules_(host),
        recipients_(host),
        messages_(host, &dispatcher_),
        inbox_(host) {
    for (auto& [channel, why] : courier_.Undeliverable()) {
      dispatcher_.SetUndeliverable(channel, why);
    }
  }

  Dispatcher& dispatcher() { return dispatcher_; }
  Courier& courier() { return courier_; }

  grpc::Status SaveTemplate(grpc::ServerContext*, const v1::SaveTemplateRequest* request,
                            v1::Template* response) override;
  grpc::Status ListTemplates(grpc::ServerContext*, const v1::ListTemplatesRequest* request,
                             v1::ListTemplatesResponse* response) override;
  grpc::Status PreviewTemplate(grpc::ServerContext*, const v1::PreviewTemplateRequest* request,
                               v1::PreviewTemplateResponse* response) override;
  grpc::Status SaveRule(grpc::ServerContext*, const v1::SaveRuleRequest* request,
                        v1::Rule* response) override;
  grpc::Status DeleteRule(grpc::ServerContext*, const v1::DeleteRuleRequest* request,
                          v1::Rule* response) override;
  grpc::Status ListRules(grpc::ServerContext*, const v1::ListRulesRequest* request,
                         v1::ListRulesResponse* response) override;
  grpc::Status SetFrequencyLimit(grpc::ServerContext*, const v1::SetFrequencyLimitRequest* request,
                                 v1::FrequencyLimit* response) override;
  grpc::Status ListFrequencyLimits(grpc::ServerContext*,
                                   const v1::ListFrequencyLimitsRequest* request,
                                   v1::ListFrequencyLimitsResponse* response) override;
  grpc::Status SaveRecipient(grpc::ServerContext*, const v1::SaveRecipientRequest* request,
                             v1::Recipient* response) override;
  grpc::Status ListRecipients(grpc::ServerContext*, const v1::ListRecipientsRequest* request,
                              v1::ListRecipientsResponse* response) override;
  grpc::Status SetOptOut(grpc::ServerContext*, const v1::SetOptOutRequest* request,
                         v1::SetOptOutResponse* response) override;
  grpc::Status SendNotification(grpc::ServerContext*, const v1::SendNotificationRequest* request,
                                v1::Message* response) override;
  grpc::Status ListMessages(grpc::ServerContext*, const v1::ListMessagesRequest* request,
                            v1::ListMessagesResponse* response) override;
  grpc::Status RetryMessage(grpc::ServerContext*, const v1::RetryMessageRequest* request,
                            v1::Message* response) override;
  grpc::Status RunDelivery(grpc::ServerContext*, const v1::RunDeliveryRequest* request,
                           v1::RunDeliveryResponse* response) override;
  grpc::Status ListInbox(grpc::ServerContext*, const v1::ListInboxRequest* request,
                         v1::ListInboxResponse* response) override;
  grpc::Status MarkRead(grpc::ServerContext*, const v1::MarkReadRequest* request,
                        v1::MarkReadResponse* response) override;
  grpc::Status WatchInbox(grpc::ServerContext* context, const v1::WatchInboxRequest* request,
                          grpc::ServerWriter<v1::InboxItem>* writer) override;
  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override;

 private:
  ServiceHost* host_;
  Dispatcher dispatcher_;
  Courier courier_;
  Templates templates_;
  Rules rules_;
  Recipients recipients_;
  MessageLog messages_;
  Inbox inbox_;
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_SERVICE_H_
