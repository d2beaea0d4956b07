#include "notify_svc/courier.h"

#include <algorithm>
#include <functional>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "notify_svc/hmac.h"
#include "notify_svc/notify_store.h"
#include "platform/base/log.h"
#include "platform/base/status.h"
#include "platform/metrics/registry.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {
namespace {

using google::protobuf::util::TimeUtil;

std::string JsonString(const std::string& text) {
  return absl::StrCat("\"", absl::CEscape(text), "\"");
}

constexpr char kNoSmsProvider[] = "no SMS provider (--sms_url)";

}  // namespace

WorkerPool& Courier::LanesOf(v1::Channel channel) {
  absl::MutexLock lock(&lanes_mu_);
  std::unique_ptr<WorkerPool>& pool = lanes_[channel];
  if (pool == nullptr) {
    // The thread that runs a round takes a lane itself.
    pool = std::make_unique<WorkerPool>(absl::StrCat("lanes:", v1::Channel_Name(channel)),
                                        static_cast<size_t>(std::max(1, options_.lanes) - 1));
  }
  return *pool;
}

std::map<v1::Channel, std::string> Courier::Undeliverable() const {
  std::map<v1::Channel, std::string> channels;
  if (options_.sms_url.empty()) channels[v1::SMS] = kNoSmsProvider;
  return channels;
}

absl::Status Courier::RecoverInterrupted(std::optional<v1::Channel> only) {
  return host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> interrupted,
                         store::MessagesInStatus(s, v1::Message::SENDING));
    for (v1::Message& m : interrupted) {
      if (only.has_value() && m.channel() != *only) continue;
      *m.mutable_updated_at() = ToProtoTime(host_->clock().Now());
      if (options_.resend_interrupted.count(m.channel()) > 0) {
        // The receiver drops a second copy with the same key: sending again loses nothing.
        m.set_status(v1::Message::QUEUED);
        *m.mutable_next_attempt_at() = m.updated_at();
        m.set_last_error(
            "attempt interrupted by a restart: sent again with the same Idempotency-Key");
        OMS_RETURN_IF_ERROR(store::SaveMessage(s, m));
        LogWarning("message ", m.message_id(), " was in flight at a crash; sent again");
        continue;
      }
      m.set_status(v1::Message::DEAD);
      m.set_last_error(
          "attempt interrupted by a restart: whether it arrived is unknown, so it is not sent "
          "again automatically (RetryMessage resends it)");
      OMS_RETURN_IF_ERROR(store::SaveMessage(s, m));
      v1::MessageDead event;
      *event.mutable_message() = m;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, m.message_id(), event).status());
      LogWarning("message ", m.message_id(), " was in flight at a crash; marked DEAD");
    }
    return absl::OkStatus();
  });
}

Outcome Courier::Attempt(const v1::Message& m) {
  std::string delivery_header = absl::StrCat("X-OMS-Delivery-Id: ", m.message_id());
  // The same on every attempt, so a receiver (or an SMS provider) can drop a repeat.
  std::string idempotency_header = absl::StrCat("Idempotency-Key: ", m.message_id());
  switch (m.channel()) {
    case v1::EMAIL:
      return SendEmail(options_.smtp, m.address(), m.subject(), m.body(), m.message_id());
    case v1::SMS: {
      if (options_.sms_url.empty()) return Outcome{false, "", kNoSmsProvider};
      std::vector<std::string> headers = {"Content-Type: application/json", delivery_header,
                                          idempotency_header};
      if (!options_.sms_api_key.empty()) {
        headers.push_back(absl::StrCat("Authorization: Bearer ", options_.sms_api_key));
      }
      std::string json =
          absl::StrCat("{\"to\":", JsonString(m.address()), ",\"text\":", JsonString(m.body()),
                       ",\"message_id\":", JsonString(m.message_id()), "}");
      return HttpPost(options_.sms_url, json, headers, options_.http_timeout);
    }
    case v1::WEBHOOK: {
      std::vector<std::string> headers = {"Content-Type: application/json", delivery_header,
                                          idempotency_header,
                                          absl::StrCat("X-OMS-Event-Type: ", m.event_type())};
      std::string secret;
      if (absl::StartsWith(m.recipient(), "recipient:")) {
        absl::Status read = host_->db().Read([&](Session& s) -> absl::Status {
          OMS_ASSIGN_OR_RETURN(std::optional<v1::Recipient> r,
                               store::FindRecipient(s, m.recipient().substr(10)));
          if (r.has_value()) secret = r->webhook_secret();
          return absl::OkStatus();
        });
        if (!read.ok()) return Outcome{false, "", std::string(read.message())};
      }
      if (!secret.empty()) {
        headers.push_back(
            absl::StrCat("X-OMS-Signature: sha256=", HmacSha256Hex(secret, m.body())));
      }
      return HttpPost(m.address(), m.body(), headers, options_.http_timeout);
    }
    default:
      return Outcome{false, "",
                     absl::StrCat("channel ", v1::Channel_Name(m.channel()),
                                  " is not delivered by the courier")};
  }
}

std::string Courier::ProviderOf(v1::Channel channel) const {
  switch (channel) {
    case v1::EMAIL:
      return EndpointOfUrl(options_.smtp.url);
    case v1::SMS:
      return options_.sms_url.empty() ? "" : EndpointOfUrl(options_.sms_url);
    default:
      return "";
  }
}

std::string Courier::EndpointOf(const v1::Message& m) const {
  return m.channel() == v1::WEBHOOK ? EndpointOfUrl(m.address()) : ProviderOf(m.channel());
}

Outcome Courier::AttemptUnlessDown(const v1::Message& m) {
  std::string endpoint = EndpointOf(m);
  if (endpoint.empty()) return Attempt(m);
  if (!breaker_.MaySend(endpoint, host_->clock().Now())) {
    Outcome held;
    held.deferred = true;
    held.error = absl::StrCat("not attempted: ", breaker_.Why(endpoint));
    return held;
  }
  Outcome outcome = Attempt(m);
  if (outcome.unreachable) {
    breaker_.Unreachable(endpoint, outcome.error, host_->clock().Now());
  } else {
    breaker_.Reached(endpoint, host_->clock().Now());  // an answer, even a refusal
  }
  return outcome;
}

std::unique_ptr<google::protobuf::Message> Courier::Settle(v1::Message& m, const Outcome& outcome,
                                                           absl::Time now,
                                                           v1::RunDeliveryResponse& counted) const {
  m.set_provider_response(outcome.provider_response);
  *m.mutable_updated_at() = ToProtoTime(now);
  if (outcome.delivered) {
    m.set_status(v1::Message::SENT);
    m.set_last_error("");
    *m.mutable_sent_at() = ToProtoTime(now);
    counted.set_sent(counted.sent() + 1);
    auto event = std::make_unique<v1::MessageSent>();
    *event->mutable_message() = m;
    return event;
  }
  m.set_last_error(outcome.error);
  if (outcome.deferred || outcome.unreachable) {
    // Nothing was handed over: waiting for the server uses up no attempt, only time.
    m.set_attempts(m.attempts() - 1);
    if (now - FromProtoTime(m.created_at()) >= options_.give_up_after) {
      return GiveUp(m, outcome.error, counted);
    }
    m.set_status(m.attempts() > 0 ? v1::Message::FAILED : v1::Message::QUEUED);
    // A webhook waits for its host's pause to end. A channel's provider (mail, SMS) keeps
    // its messages in line instead: the channel claims nothing while the provider is paused,
    // and its probe is the first of them.
    if (ProviderOf(m.channel()).empty()) {
      *m.mutable_next_attempt_at() = ToProtoTime(breaker_.ResumeAt(EndpointOf(m), now));
    }
    counted.set_deferred(counted.deferred() + 1);
    return nullptr;
  }
  if (m.attempts() >= options_.max_attempts) return MarkDead(m, counted);
  absl::Duration wait = options_.backoff;
  for (int i = 1; i < m.attempts() && wait < options_.max_backoff; ++i) wait *= 2;
  m.set_status(v1::Message::FAILED);
  *m.mutable_next_attempt_at() = ToProtoTime(now + std::min(wait, options_.max_backoff));
  counted.set_failed(counted.failed() + 1);
  return nullptr;
}

std::unique_ptr<google::protobuf::Message> Courier::MarkDead(v1::Message& m,
                                                             v1::RunDeliveryResponse& counted) {
  m.set_status(v1::Message::DEAD);
  counted.set_dead(counted.dead() + 1);
  auto event = std::make_unique<v1::MessageDead>();
  *event->mutable_message() = m;
  return event;
}

std::unique_ptr<google::protobuf::Message> Courier::GiveUp(v1::Message& m, const std::string& why,
                                                           v1::RunDeliveryResponse& counted) const {
  m.set_last_error(absl::StrCat("gave up after ", absl::FormatDuration(options_.give_up_after),
                                " of waiting: ", why));
  return MarkDead(m, counted);
}

absl::Status Courier::ExpireWaiting(v1::Channel channel, v1::RunDeliveryResponse& tally) {
  const std::string why = breaker_.Why(ProviderOf(channel));
  for (int round = 0; round < options_.max_rounds_per_run; ++round) {
    absl::Time now = host_->clock().Now();
    absl::Time cutoff = now - options_.give_up_after;
    // One row first: a paused channel is looked at every round, and mostly nothing is due.
    std::vector<v1::Message> head;
    OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
      OMS_ASSIGN_OR_RETURN(head, store::DueMessagesOn(s, channel, now, 1));
      return absl::OkStatus();
    }));
    if (head.empty() || FromProtoTime(head[0].created_at()) > cutoff) return absl::OkStatus();
    v1::RunDeliveryResponse counted;
    size_t looked_at = 0;
    OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
      counted.Clear();
      OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> due,
                           store::DueMessagesOn(s, channel, now, options_.batch));
      looked_at = due.size();
      for (v1::Message& m : due) {
        if (FromProtoTime(m.created_at()) > cutoff) continue;  // in line, not yet too old
        *m.mutable_updated_at() = ToProtoTime(now);
        std::unique_ptr<google::protobuf::Message> event = GiveUp(m, why, counted);
        OMS_RETURN_IF_ERROR(store::SaveMessage(s, m));
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, m.message_id(), *event).status());
      }
      return absl::OkStatus();
    }));
    tally.set_dead(tally.dead() + counted.dead());
    if (counted.dead() == 0 || static_cast<int>(looked_at) < options_.batch) break;
  }
  return absl::OkStatus();
}

absl::Status Courier::Record(std::vector<v1::Message> messages,
                             const std::vector<Outcome>& outcomes, v1::RunDeliveryResponse& tally) {
  // Counted per attempt and added to the tally once committed (Database::Transact may run
  // the function again).
  v1::RunDeliveryResponse counted;
  std::vector<v1::Message> settled;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    counted.Clear();
    settled = messages;
    absl::Time now = host_->clock().Now();
    for (size_t i = 0; i < settled.size(); ++i) {
      v1::Message& m = settled[i];
      std::unique_ptr<google::protobuf::Message> event = Settle(m, outcomes[i], now, counted);
      OMS_RETURN_IF_ERROR(store::SaveMessage(s, m));
      if (event != nullptr) {
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, m.message_id(), *event).status());
      }
    }
    return absl::OkStatus();
  }));
  static metrics::CounterFamily* attempts = metrics::Registry::Global().Counter(
      "oms_notify_send_attempts_total",
      "Delivery attempts by channel and outcome (not_attempted: its server was known to be "
      "unreachable; unreachable: no connection was made).",
      {"channel", "outcome"});
  for (size_t i = 0; i < settled.size(); ++i) {
    const v1::Message& m = settled[i];
    const char* outcome = m.status() == v1::Message::SENT   ? "sent"
                          : m.status() == v1::Message::DEAD ? "dead"
                          : outcomes[i].deferred            ? "not_attempted"
                          : outcomes[i].unreachable         ? "unreachable"
                                                            : "failed";
    attempts->Add({v1::Channel_Name(m.channel()), outcome});
  }
  tally.set_sent(tally.sent() + counted.sent());
  tally.set_deferred(tally.deferred() + counted.deferred());
  tally.set_dead(tally.dead() + counted.dead());
  tally.set_failed(tally.failed() + counted.failed());
  return absl::OkStatus();
}

absl::Status Courier::QueueEndedDigests(v1::RunDeliveryResponse& tally) {
  return host_->db().Transact([&](Session& s) -> absl::Status {
    tally.set_digests(0);  // each attempt starts afresh (Database::Transact)
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(std::vector<store::Digest> due, store::DueDigests(s, now));
    for (const store::Digest& d : due) {
      v1::Message digest;
      digest.set_message_id(host_->ids().Next("msg"));
      digest.set_event_id(absl::StrCat("digest:", d.window_end_us));
      digest.set_event_type("Digest");
      digest.set_recipient(d.recipient);
      digest.set_channel(d.channel);
      digest.set_address(d.address);
      digest.set_digest_of(static_cast<int32_t>(d.subjects.size()));
      digest.set_subject(absl::StrCat(d.subjects.size(), " more notifications"));
      digest.set_body(absl::StrCat("- ", absl::StrJoin(d.subjects, "\n- ")));
      digest.set_status(v1::Message::QUEUED);
      *digest.mutable_created_at() = ToProtoTime(now);
      *digest.mutable_updated_at() = digest.created_at();
      *digest.mutable_next_attempt_at() = digest.created_at();
      OMS_RETURN_IF_ERROR(store::InsertMessage(s, digest).status());
      OMS_RETURN_IF_ERROR(store::DeleteDigest(s, d));
      tally.set_digests(tally.digests() + 1);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<v1::Message>> Courier::Claim(v1::Channel channel, int limit) {
  std::vector<v1::Message> claimed;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(claimed, store::DueMessagesOn(s, channel, now, limit));
    for (v1::Message& m : claimed) {
      m.set_status(v1::Message::SENDING);
      m.set_attempts(m.attempts() + 1);
      *m.mutable_updated_at() = ToProtoTime(now);
      OMS_RETURN_IF_ERROR(store::SaveMessage(s, m));
    }
    return absl::OkStatus();
  }));
  return claimed;
}

std::vector<Outcome> Courier::SendInLanes(v1::Channel channel,
                                          const std::vector<v1::Message>& claimed) {
  std::vector<Outcome> outcomes(claimed.size());
  // A recipient's messages go to one lane, which sends them in the order they were claimed.
  std::vector<std::vector<size_t>> lanes(std::max(1, options_.lanes));
  for (size_t i = 0; i < claimed.size(); ++i) {
    lanes[std::hash<std::string>()(claimed[i].recipient()) % lanes.size()].push_back(i);
  }
  std::vector<std::function<void()>> tasks;
  for (const std::vector<size_t>& lane : lanes) {
    if (lane.empty()) continue;
    tasks.push_back([&] {
      for (size_t i : lane) outcomes[i] = AttemptUnlessDown(claimed[i]);
    });
  }
  LanesOf(channel).RunAll(std::move(tasks));
  return outcomes;
}

absl::Status Courier::DeliverChannel(v1::Channel channel, v1::RunDeliveryResponse& tally) {
  const std::string provider = ProviderOf(channel);
  for (int round = 0; round < options_.max_rounds_per_run; ++round) {
    // A channel whose server is down claims nothing while it is paused, and then a single
    // message, the probe, so that its backlog is not claimed only to be put back.
    ProviderBreaker::State state = provider.empty()
                                       ? ProviderBreaker::State::kClosed
                                       : breaker_.StateOf(provider, host_->clock().Now());
    if (state == ProviderBreaker::State::kPaused) return ExpireWaiting(channel, tally);
    const bool probe = state == ProviderBreaker::State::kProbing;
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> claimed,
                         Claim(channel, probe ? 1 : options_.batch));
    if (claimed.empty()) break;
    std::vector<Outcome> outcomes = SendInLanes(channel, claimed);
    OMS_RETURN_IF_ERROR(Record(std::move(claimed), outcomes, tally));
    if (probe) continue;  // the next round's state says how the probe went
    if (static_cast<int>(outcomes.size()) < options_.batch) break;  // nothing more was due
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::RunDeliveryResponse> Courier::RunChannel(v1::Channel channel) {
  v1::RunDeliveryResponse tally;
  // One read first: a round with nothing due writes nothing.
  bool digests_due = false, due = false;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(digests_due, store::AnyDueDigest(s, now));
    OMS_ASSIGN_OR_RETURN(due, store::AnyDueMessageOn(s, channel, now));
    return absl::OkStatus();
  }));
  if (digests_due) {
    // Another channel's digests wait for that channel's next round (its interval at most).
    OMS_RETURN_IF_ERROR(QueueEndedDigests(tally));
    due = true;
  }
  if (due) OMS_RETURN_IF_ERROR(DeliverChannel(channel, tally));
  return tally;
}

absl::StatusOr<v1::RunDeliveryResponse> Courier::RunOnce() {
  v1::RunDeliveryResponse tally;
  const v1::Channel kChannels[] = {v1::EMAIL, v1::SMS, v1::WEBHOOK, v1::IN_APP};
  constexpr size_t kCount = sizeof(kChannels) / sizeof(kChannels[0]);
  // One read first: a round with nothing due (most wake-ups) writes nothing.
  bool digests_due = false;
  std::vector<bool> due(kCount, false);
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(digests_due, store::AnyDueDigest(s, now));
    for (size_t c = 0; c < kCount; ++c) {
      OMS_ASSIGN_OR_RETURN(bool any, store::AnyDueMessageOn(s, kChannels[c], now));
      due[c] = any;
    }
    return absl::OkStatus();
  }));
  if (digests_due) {
    OMS_RETURN_IF_ERROR(QueueEndedDigests(tally));
    std::fill(due.begin(), due.end(), true);  // the digests are messages now
  }
  // Every channel on its own thread: a provider that is down or slow holds only its own.
  std::vector<v1::RunDeliveryResponse> tallies(kCount);
  std::vector<absl::Status> results(kCount);
  std::vector<std::thread> threads;
  for (size_t c = 0; c < kCount; ++c) {
    if (!due[c]) continue;
    threads.emplace_back([&, c] { results[c] = DeliverChannel(kChannels[c], tallies[c]); });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t c = 0; c < kCount; ++c) {
    OMS_RETURN_IF_ERROR(results[c]);
    tally.set_sent(tally.sent() + tallies[c].sent());
    tally.set_failed(tally.failed() + tallies[c].failed());
    tally.set_dead(tally.dead() + tallies[c].dead());
    tally.set_deferred(tally.deferred() + tallies[c].deferred());
  }
  return tally;
}

}  // namespace oms::notify
