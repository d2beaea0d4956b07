// The message log: every message with its status and attempts, manual sends (through the
// dispatcher's admission: opt-outs, limits, quiet hours) and retries of failed ones.
// Thread-safe.
#ifndef OMS_NOTIFY_SVC_MESSAGE_LOG_H_
#define OMS_NOTIFY_SVC_MESSAGE_LOG_H_

#include <string>

#include "absl/status/statusor.h"
#include "notify_svc/dispatcher.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

class MessageLog {
 public:
  MessageLog(ServiceHost* host, Dispatcher* dispatcher) : host_(host), dispatcher_(dispatcher) {}

  absl::StatusOr<v1::Message> Send(const v1::SendNotificationRequest& request);
  absl::StatusOr<v1::ListMessagesResponse> List(const v1::ListMessagesRequest& request);
  // FAILED or DEAD messages go back to the queue for an attempt now, and so do SUPPRESSED
  // ones made while their channel had no provider, once it has one (after a restart with,
  // say, --sms_url). Those suppressed on purpose (opt-out, limit, no template) are not.
  absl::StatusOr<v1::Message> Retry(const v1::RetryMessageRequest& request);

 private:
  absl::Status Retriable(const v1::Message& message) const;

  ServiceHost* host_;
  Dispatcher* dispatcher_;
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_MESSAGE_LOG_H_
