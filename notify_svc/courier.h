#ifndef OMS_NOTIFY_SVC_COURIER_H_
#define OMS_NOTIFY_SVC_COURIER_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "notify_svc/transports.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

struct CourierOptions {
  SmtpOptions smtp;
  std::string sms_url;      // HTTP POST {"to","text","message_id"}; empty: SMS fails
  std::string sms_api_key;  // sent as "Authorization: Bearer <key>" when set
  absl::Duration http_timeout = absl::Seconds(10);
  int max_attempts = 5;                        // then DEAD
  absl::Duration backoff = absl::Seconds(30);  // first retry; doubles each time
  absl::Duration max_backoff = absl::Hours(1);
  int batch = 50;  // attempts per RunOnce at most
  // Channels whose receivers deduplicate on the Idempotency-Key header (the message id,
  // also X-OMS-Delivery-Id): an attempt cut short by a crash is sent again with the same
  // key. Elsewhere (email: SMTP has no such key) it is marked DEAD, not sent twice.
  std::set<v1::Channel> resend_interrupted = {v1::WEBHOOK};
};

// Delivers queued messages over their channel, one at a time. Each attempt is claimed in the
// store first (status SENDING, attempts + 1) and its outcome recorded after, each in its own
// transaction, so no network call ever holds the store. Failures retry with exponential backoff;
// after max_attempts a message is DEAD and a MessageDead event is written. A message whose attempt
// was cut short by a crash has an unknown outcome: RecoverInterrupted() sends it again where
// the receiver deduplicates on its idempotency key (resend_interrupted), and elsewhere marks
// it DEAD rather than risk it arriving twice. Thread-safe.
class Courier {
 public:
  Courier(ServiceHost* host, CourierOptions options) : host_(host), options_(std::move(options)) {}

  // Queues digests whose window has ended, then makes one attempt at every due message.
  absl::StatusOr<v1::RunDeliveryResponse> RunOnce();
  // When this process becomes the courier (at start-up, or when it takes over the delivery
  // lease from a replica that died): attempts that were in flight when the last one stopped.
  absl::Status RecoverInterrupted();

 private:
  Outcome Attempt(const v1::Message& message);
  absl::Status Record(v1::Message message, const Outcome& outcome, v1::RunDeliveryResponse& tally);

  ServiceHost* host_;
  CourierOptions options_;
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_COURIER_H_
