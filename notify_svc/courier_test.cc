// The courier against servers that cannot be reached: a mail server that is down, a webhook
// host that is down beside one that is up. Real sockets on loopback, a fake clock.
#include "notify_svc/courier.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "notify_svc/dispatcher.h"
#include "notify_svc/message_log.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/testing/receivers.h"
#include "platform/base/clock.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/in_memory_host.h"

namespace oms::notify {
namespace {

// A loopback port nothing listens on (a sink's, after it stopped).
int ClosedPort() {
  testing::SmtpSink sink;
  return sink.port();
}

class CourierTest : public ::testing::Test {
 protected:
  CourierTest() {
    options_.smtp.url = absl::StrCat("smtp://127.0.0.1:", dead_port_);
    options_.lanes = 1;  // one attempt at a time: which message meets the dead server is known
    options_.max_attempts = 3;
    options_.breaker.first_pause = absl::Seconds(5);
    options_.breaker.max_pause = absl::Minutes(5);
    options_.give_up_after = absl::Hours(24);
  }

  v1::Message Send(v1::Channel channel, const std::string& address) {
    v1::SendNotificationRequest request;
    request.set_idempotency_key(absl::StrCat("key-", ++sent_));
    request.set_channel(channel);
    request.set_address(address);
    request.set_subject("Order confirmed");
    request.set_body(channel == v1::WEBHOOK ? "{}" : "Thank you");
    absl::StatusOr<v1::Message> sent = messages_.Send(request);
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.value_or(v1::Message());
  }

  v1::RunDeliveryResponse Run(Courier& courier, v1::Channel channel) {
    absl::StatusOr<v1::RunDeliveryResponse> run = courier.RunChannel(channel);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.value_or(v1::RunDeliveryResponse());
  }

  std::vector<v1::Message> Messages(v1::Channel channel) {
    v1::ListMessagesRequest list;
    list.set_channel(channel);
    absl::StatusOr<v1::ListMessagesResponse> listed = messages_.List(list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->messages().begin(), listed->messages().end()};
  }

  int CountEvents(const std::string& type) {
    auto events = host_->outbox().List(0, 1000, {type});
    return events.ok() ? static_cast<int>(events->size()) : -1;
  }

  const int dead_port_ = ClosedPort();
  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_ =
      oms::testing::InMemoryHost("notify_svc", &clock_, {{"notify", &store::Migrations()}});
  Dispatcher dispatcher_{host_.get()};
  MessageLog messages_{host_.get(), &dispatcher_};
  CourierOptions options_;
  int sent_ = 0;
};

TEST_F(CourierTest, AMailServerThatIsDownIsTriedOnceAndUsesUpNoAttempt) {
  Courier courier(host_.get(), options_);
  for (int i = 0; i < 4; ++i) Send(v1::EMAIL, absl::StrCat("c", i, "@example.com"));
  v1::RunDeliveryResponse run = Run(courier, v1::EMAIL);
  EXPECT_EQ(run.deferred(), 4);
  EXPECT_EQ(run.failed(), 0);
  EXPECT_EQ(run.sent(), 0);
  int tried = 0, held_back = 0;
  for (const v1::Message& m : Messages(v1::EMAIL)) {
    EXPECT_EQ(m.status(), v1::Message::QUEUED);
    EXPECT_EQ(m.attempts(), 0);
    tried += absl::StartsWith(m.last_error(), "smtp: ");
    held_back += absl::StartsWith(m.last_error(),
                                  absl::StrCat("not attempted: smtp://127.0.0.1:", dead_port_,
                                               " unreachable since 2026-01-01T00:00:00Z: smtp: "));
  }
  EXPECT_EQ(tried, 1);
  EXPECT_EQ(held_back, 3);

  // Paused: the next rounds claim nothing and write nothing.
  std::vector<v1::Message> before = Messages(v1::EMAIL);
  clock_.Advance(absl::Seconds(4));
  run = Run(courier, v1::EMAIL);
  EXPECT_EQ(run.deferred() + run.failed() + run.sent() + run.dead(), 0);
  std::vector<v1::Message> after = Messages(v1::EMAIL);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString());
  }
}

TEST_F(CourierTest, WhenTheMailServerIsBackOneProbeReopensItAndTheBacklogGoesOut) {
  Courier courier(host_.get(), options_);
  for (int i = 0; i < 3; ++i) Send(v1::EMAIL, absl::StrCat("c", i, "@example.com"));
  EXPECT_EQ(Run(courier, v1::EMAIL).deferred(), 3);
  testing::SmtpSink back(dead_port_);
  ASSERT_EQ(back.port(), dead_port_);
  clock_.Advance(absl::Seconds(4));
  EXPECT_EQ(Run(courier, v1::EMAIL).sent(), 0);  // still paused: nobody tries
  EXPECT_EQ(back.connections(), 0);
  clock_.Advance(absl::Seconds(1));
  v1::RunDeliveryResponse run = Run(courier, v1::EMAIL);
  EXPECT_EQ(run.sent(), 3);  // the probe, then the rest in the same run
  EXPECT_EQ(back.mails().size(), 3u);
  for (const v1::Message& m : Messages(v1::EMAIL)) {
    EXPECT_EQ(m.status(), v1::Message::SENT);
    EXPECT_EQ(m.attempts(), 1);
  }
}

TEST_F(CourierTest, WhileTheServerStaysDownNothingDiesUntilTheGiveUpTime) {
  Courier courier(host_.get(), options_);
  for (int i = 0; i < 3; ++i) Send(v1::EMAIL, absl::StrCat("c", i, "@example.com"));
  Run(courier, v1::EMAIL);
  // Five hours of outage: far more rounds than max_attempts, one probe per pause.
  for (int i = 0; i < 30; ++i) {
    clock_.Advance(absl::Minutes(10));
    v1::RunDeliveryResponse run = Run(courier, v1::EMAIL);
    EXPECT_EQ(run.deferred(), 1) << "round " << i;  // the probe only
    EXPECT_EQ(run.dead(), 0);
  }
  for (const v1::Message& m : Messages(v1::EMAIL)) {
    EXPECT_EQ(m.status(), v1::Message::QUEUED);
    EXPECT_EQ(m.attempts(), 0);
  }
  EXPECT_EQ(CountEvents("MessageDead"), 0);

  clock_.Advance(absl::Hours(20));  // now more than 24 h after they were made
  v1::RunDeliveryResponse run = Run(courier, v1::EMAIL);
  EXPECT_EQ(run.dead(), 3);  // the probe's message, then the others waiting behind it
  for (const v1::Message& m : Messages(v1::EMAIL)) {
    EXPECT_EQ(m.status(), v1::Message::DEAD);
    EXPECT_TRUE(absl::StartsWith(m.last_error(), "gave up after 24h of waiting: "))
        << m.last_error();
  }
  EXPECT_EQ(CountEvents("MessageDead"), 3);
}

TEST_F(CourierTest, AWebhookHostThatIsDownHoldsBackOnlyItsOwnMessages) {
  testing::HttpReceiver up;
  const std::string down = absl::StrCat("http://127.0.0.1:", dead_port_, "/hook");
  Courier courier(host_.get(), options_);
  v1::Message first_down = Send(v1::WEBHOOK, down);
  Send(v1::WEBHOOK, up.url("/hook"));
  Send(v1::WEBHOOK, down);
  Send(v1::WEBHOOK, up.url("/hook"));
  up.FailNext(1);  // an answer, even a refusal, is not a host that is down
  v1::RunDeliveryResponse run = Run(courier, v1::WEBHOOK);
  EXPECT_EQ(run.sent(), 1);
  EXPECT_EQ(run.failed(), 1);
  EXPECT_EQ(run.deferred(), 2);
  EXPECT_EQ(up.requests().size(), 2u);
  absl::Time resume = clock_.Now() + absl::Seconds(5);
  for (const v1::Message& m : Messages(v1::WEBHOOK)) {
    if (m.address() == down) {
      EXPECT_EQ(m.status(), v1::Message::QUEUED);
      EXPECT_EQ(m.attempts(), 0);
      EXPECT_EQ(FromProtoTime(m.next_attempt_at()), resume);  // not claimed again before
    } else {
      EXPECT_EQ(m.attempts(), 1);
    }
  }
  // Before the pause ends a round finds nothing of the host's due.
  clock_.Advance(absl::Seconds(1));
  run = Run(courier, v1::WEBHOOK);
  EXPECT_EQ(run.deferred(), 0);
  // Its pause over, the first message probes and fails: both wait twice as long.
  clock_.Advance(absl::Seconds(4));
  run = Run(courier, v1::WEBHOOK);
  EXPECT_EQ(run.deferred(), 2);
  for (const v1::Message& m : Messages(v1::WEBHOOK)) {
    if (m.address() != down) continue;
    EXPECT_EQ(FromProtoTime(m.next_attempt_at()), clock_.Now() + absl::Seconds(10))
        << m.message_id() << " " << (m.message_id() == first_down.message_id());
  }
}

}  // namespace
}  // namespace oms::notify
