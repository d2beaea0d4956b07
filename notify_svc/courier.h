#ifndef OMS_NOTIFY_SVC_COURIER_H_
#define OMS_NOTIFY_SVC_COURIER_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "notify_svc/provider_breaker.h"
#include "notify_svc/transports.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/base/worker_pool.h"
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
  int batch = 50;  // messages one channel claims (and records) per transaction
  int lanes = 8;   // concurrent attempts per channel; a recipient's messages share one lane
  int max_rounds_per_run = 40;  // claim-send-record rounds per channel in one RunOnce
  // Channels whose receivers deduplicate on the Idempotency-Key header (the message id,
  // also X-OMS-Delivery-Id): an attempt cut short by a crash is sent again with the same
  // key. Elsewhere (email: SMTP has no such key) it is marked DEAD, not sent twice.
  std::set<v1::Channel> resend_interrupted = {v1::WEBHOOK};
  // A server that cannot be reached is paused (ProviderBreaker): its messages wait without
  // using up attempts, and are DEAD only once they have waited this long since made.
  BreakerOptions breaker;
  absl::Duration give_up_after = absl::Hours(24);
};

// Delivers queued messages over their channels. Each channel is served on its own (a thread
// per channel with due messages), so one that is down or slow never delays another's. A
// channel claims a batch of its due messages in one transaction (status SENDING, attempts
// + 1), attempts them in up to `lanes` concurrent lanes (all of one recipient's messages in
// one lane, in sending order; the lanes' threads are kept per channel from round to round),
// and records the outcomes in one transaction; no network call
// ever holds the store. Failures retry with exponential backoff; after max_attempts a message
// is DEAD and a MessageDead event is written. A server that cannot be reached at all (the mail
// server or SMS provider of a channel, a webhook's host) is paused instead: its messages are
// not attempted until one probe gets through, and waiting for it uses up no attempt. A message
// whose attempt was cut short by a crash has an unknown outcome: RecoverInterrupted() sends it
// again where the receiver deduplicates on its idempotency key (resend_interrupted), and elsewhere
// marks it DEAD rather than risk it arriving twice. Thread-safe.
class Courier {
 public:
  Courier(ServiceHost* host, CourierOptions options)
      : host_(host), options_(std::move(options)), breaker_(options_.breaker) {}

  // Queues digests whose window has ended, then makes one attempt at every due message.
  absl::StatusOr<v1::RunDeliveryResponse> RunOnce();
  // The same for one channel (digests of any channel are queued too). notify_svc runs each
  // channel in a task of its own, so a channel with a long backlog (a dead provider's
  // retries) never holds up another's next round.
  absl::StatusOr<v1::RunDeliveryResponse> RunChannel(v1::Channel channel);
  // When this process becomes the courier (at start-up, or when it takes over the delivery
  // lease from a replica that died): attempts that were in flight when the last one stopped,
  // on every channel or on `only` (each channel's task settles its own, so that one starting
  // late never touches another's attempts in flight).
  absl::Status RecoverInterrupted(std::optional<v1::Channel> only = std::nullopt);
  // The channels this courier has no provider for, each with why: their messages are
  // settled when created (SUPPRESSED, Dispatcher::SetUndeliverable) instead of being
  // attempted until they are DEAD.
  std::map<v1::Channel, std::string> Undeliverable() const;

 private:
  absl::Status QueueEndedDigests(v1::RunDeliveryResponse& tally);
  // Claim-send-record rounds on one channel until it has no due message (or the round limit).
  absl::Status DeliverChannel(v1::Channel channel, v1::RunDeliveryResponse& tally);
  absl::StatusOr<std::vector<v1::Message>> Claim(v1::Channel channel, int limit);
  // The outcome of each claimed message, attempted in lanes.
  std::vector<Outcome> SendInLanes(v1::Channel channel, const std::vector<v1::Message>& claimed);
  // The channel's lane threads, made on first use.
  WorkerPool& LanesOf(v1::Channel channel);
  Outcome Attempt(const v1::Message& message);
  // Attempt, unless the message's server is paused; tells the breaker what was learnt.
  Outcome AttemptUnlessDown(const v1::Message& message);
  // The server a message goes to ("" for channels delivered in-process), and the one server
  // all of a channel's messages go to ("" for webhooks, whose servers are per recipient).
  std::string EndpointOf(const v1::Message& message) const;
  std::string ProviderOf(v1::Channel channel) const;
  // Marks DEAD (with a MessageDead event) the messages of a channel whose provider is
  // paused that have waited give_up_after since they were made, first in line first.
  absl::Status ExpireWaiting(v1::Channel channel, v1::RunDeliveryResponse& tally);
  // Sets `m` DEAD and counts it; answers its MessageDead event.
  static std::unique_ptr<google::protobuf::Message> MarkDead(v1::Message& m,
                                                             v1::RunDeliveryResponse& counted);
  // MarkDead after waiting too long for its server, saying so in last_error.
  std::unique_ptr<google::protobuf::Message> GiveUp(v1::Message& m, const std::string& why,
                                                    v1::RunDeliveryResponse& counted) const;
  absl::Status Record(std::vector<v1::Message> messages, const std::vector<Outcome>& outcomes,
                      v1::RunDeliveryResponse& tally);
  // Sets `m` to its state after `outcome`; answers the event to append, if any.
  std::unique_ptr<google::protobuf::Message> Settle(v1::Message& m, const Outcome& outcome,
                                                    absl::Time now,
                                                    v1::RunDeliveryResponse& counted) const;

  ServiceHost* host_;
  CourierOptions options_;
  ProviderBreaker breaker_;
  // Each channel's lanes on threads of its own: a dead provider's lanes hold no other's.
  absl::Mutex lanes_mu_;
  std::map<v1::Channel, std::unique_ptr<WorkerPool>> lanes_ ABSL_GUARDED_BY(lanes_mu_);
};

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_COURIER_H_
