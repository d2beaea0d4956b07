#include "notify_svc/provider_breaker.h"

#include "gtest/gtest.h"

namespace oms::notify {
namespace {

using State = ProviderBreaker::State;

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);
const std::string kMail = "smtp://mail.example:25";

BreakerOptions Options() {
  BreakerOptions options;
  options.first_pause = absl::Seconds(5);
  options.max_pause = absl::Seconds(30);
  return options;
}

TEST(ProviderBreakerTest, AnEndpointNeverFoundDownIsSentTo) {
  ProviderBreaker breaker(Options());
  EXPECT_EQ(breaker.StateOf(kMail, kStart), State::kClosed);
  EXPECT_TRUE(breaker.MaySend(kMail, kStart));
  EXPECT_TRUE(breaker.MaySend(kMail, kStart));  // no probe limit while closed
  EXPECT_EQ(breaker.ResumeAt(kMail, kStart), kStart);
  EXPECT_EQ(breaker.Why(kMail), "");
}

TEST(ProviderBreakerTest, UnreachableHoldsBackEveryMessageUntilThePauseEnds) {
  ProviderBreaker breaker(Options());
  breaker.Unreachable(kMail, "Couldn't connect to server", kStart);
  EXPECT_EQ(breaker.StateOf(kMail, kStart + absl::Seconds(4)), State::kPaused);
  EXPECT_FALSE(breaker.MaySend(kMail, kStart + absl::Seconds(4)));
  EXPECT_EQ(breaker.ResumeAt(kMail, kStart + absl::Seconds(1)), kStart + absl::Seconds(5));
  EXPECT_EQ(breaker.Why(kMail),
            "smtp://mail.example:25 unreachable since 2027-01-15T08:00:00Z: Couldn't connect to "
            "server");
  // Other endpoints are not affected.
  EXPECT_TRUE(breaker.MaySend("https://hooks.example", kStart));
}

TEST(ProviderBreakerTest, WhenThePauseEndsExactlyOneProbeGoes) {
  ProviderBreaker breaker(Options());
  breaker.Unreachable(kMail, "refused", kStart);
  absl::Time later = kStart + absl::Seconds(5);
  EXPECT_EQ(breaker.StateOf(kMail, later), State::kProbing);
  EXPECT_TRUE(breaker.MaySend(kMail, later));
  EXPECT_FALSE(breaker.MaySend(kMail, later));  // the probe is out
  // Held back meanwhile: tried again one first pause later, unless the probe decides sooner.
  EXPECT_EQ(breaker.ResumeAt(kMail, later), later + absl::Seconds(5));
}

TEST(ProviderBreakerTest, AFailedProbeDoublesThePauseUpToTheLimit) {
  ProviderBreaker breaker(Options());
  absl::Time now = kStart;
  breaker.Unreachable(kMail, "refused", now);
  for (absl::Duration expected :
       {absl::Seconds(10), absl::Seconds(20), absl::Seconds(30), absl::Seconds(30)}) {
    now = breaker.ResumeAt(kMail, now);
    ASSERT_TRUE(breaker.MaySend(kMail, now));
    breaker.Unreachable(kMail, "refused", now);
    EXPECT_EQ(breaker.ResumeAt(kMail, now), now + expected);
  }
}

TEST(ProviderBreakerTest, AProbeThatGetsThroughClosesIt) {
  ProviderBreaker breaker(Options());
  breaker.Unreachable(kMail, "refused", kStart);
  absl::Time later = kStart + absl::Seconds(5);
  ASSERT_TRUE(breaker.MaySend(kMail, later));
  breaker.Reached(kMail, later);
  EXPECT_EQ(breaker.StateOf(kMail, later), State::kClosed);
  EXPECT_TRUE(breaker.MaySend(kMail, later));
  EXPECT_TRUE(breaker.MaySend(kMail, later));
  // Down again later: the pause starts over from the first.
  breaker.Unreachable(kMail, "refused", later);
  EXPECT_EQ(breaker.ResumeAt(kMail, later), later + absl::Seconds(5));
}

TEST(ProviderBreakerTest, SendsAlreadyUnderWayWhenItWentDownDoNotExtendThePause) {
  ProviderBreaker breaker(Options());
  breaker.Unreachable(kMail, "refused", kStart);
  // Seven other lanes had connected attempts in flight; each fails a moment later.
  for (int i = 1; i <= 7; ++i) {
    breaker.Unreachable(kMail, "refused", kStart + absl::Milliseconds(i));
  }
  EXPECT_EQ(breaker.ResumeAt(kMail, kStart), kStart + absl::Seconds(5));
}

TEST(ProviderBreakerTest, AnEndpointIsSchemeHostAndPort) {
  EXPECT_EQ(EndpointOfUrl("https://hooks.example:8443/oms/orders?x=1"),
            "https://hooks.example:8443");
  EXPECT_EQ(EndpointOfUrl("http://127.0.0.1:9/sms"), "http://127.0.0.1:9");
  EXPECT_EQ(EndpointOfUrl("smtp://mail.example:25"), "smtp://mail.example:25");
  EXPECT_EQ(EndpointOfUrl("hooks.example/x"), "hooks.example");
}

}  // namespace
}  // namespace oms::notify
