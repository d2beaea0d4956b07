// The in-app inbox: each user's items, newest first, and what they have read (WatchInbox
// streams new ones from the service). Thread-safe.
#ifndef OMS_NOTIFY_SVC_INBOX_H_
#define OMS_NOTIFY_SVC_INBOX_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

class Inbox {
 public:
  explicit Inbox(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::ListInboxResponse> List(const v1::ListInboxRequest& request);
  absl::StatusOr<v1::MarkReadResponse> MarkRead(const v1::MarkReadRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_INBOX_H_
