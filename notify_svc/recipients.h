// Staff and systems to notify (people, groups, webhooks) by audience, with quiet hours,
// and customers' opt-outs per channel. Webhook secrets are write-only. Thread-safe.
#ifndef OMS_NOTIFY_SVC_RECIPIENTS_H_
#define OMS_NOTIFY_SVC_RECIPIENTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

class Recipients {
 public:
  explicit Recipients(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Recipient> Save(const v1::SaveRecipientRequest& request);
  absl::StatusOr<v1::ListRecipientsResponse> List(const v1::ListRecipientsRequest& request);
  absl::StatusOr<v1::SetOptOutResponse> SetOptOut(const v1::SetOptOutRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_RECIPIENTS_H_
