// The wire protocols against real peers on loopback.
#include "notify_svc/transports.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "notify_svc/hmac.h"
#include "notify_svc/testing/receivers.h"

namespace oms::notify {
namespace {

TEST(TransportsTest, EmailArrivesOverSmtpWithUtf8SubjectAndBody) {
  testing::SmtpSink sink;
  SmtpOptions smtp;
  smtp.url = sink.url();
  smtp.from = "orders@shop.example";
  Outcome outcome =
      SendEmail(smtp, "wei@example.cn", "订单已确认 ord_1",
                "您好，张伟：\n.a line starting with a dot\n订单 ord_1 已确认。", "msg_1");
  EXPECT_TRUE(outcome.delivered) << outcome.error;
  EXPECT_EQ(outcome.provider_response, "smtp 250");
  ASSERT_TRUE(sink.WaitForMails(1, absl::Seconds(10)));
  testing::ReceivedMail mail = sink.mails()[0];
  EXPECT_EQ(mail.mail_from, "<orders@shop.example>");
  EXPECT_EQ(mail.rcpt_to, "<wei@example.cn>");
  EXPECT_EQ(mail.subject, "订单已确认 ord_1");
  EXPECT_EQ(mail.body, "您好，张伟：\n.a line starting with a dot\n订单 ord_1 已确认。\n");
  EXPECT_EQ(mail.message_id, "<msg_1@oms>");
}

TEST(TransportsTest, EmailsOneAfterAnotherShareOneSmtpConnection) {
  // From one thread, then from threads that end after one message each (the courier's lanes).
  testing::SmtpSink sink;
  SmtpOptions smtp;
  smtp.url = sink.url();
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(SendEmail(smtp, "a@b.cn", "s", "b", absl::StrCat("same_", i)).delivered);
  }
  for (int i = 0; i < 2; ++i) {
    std::thread lane([&] {
      EXPECT_TRUE(SendEmail(smtp, "c@d.cn", "s", "b", absl::StrCat("lane_", i)).delivered);
    });
    lane.join();
  }
  ASSERT_TRUE(sink.WaitForMails(5, absl::Seconds(10)));
  EXPECT_EQ(sink.connections(), 1);
  for (const testing::ReceivedMail& mail : sink.mails()) EXPECT_EQ(mail.connection, 1);
}

TEST(TransportsTest, AnSmtpConnectionTheServerClosedIsReplacedNotAFailure) {
  testing::SmtpSink sink;
  SmtpOptions smtp;
  smtp.url = sink.url();
  ASSERT_TRUE(SendEmail(smtp, "a@b.cn", "s", "b", "before").delivered);
  sink.DropConnections();  // as a server does to a client idle too long
  Outcome after = SendEmail(smtp, "a@b.cn", "s", "b", "after");
  EXPECT_TRUE(after.delivered) << after.error;
  ASSERT_TRUE(sink.WaitForMails(2, absl::Seconds(10)));
  std::vector<testing::ReceivedMail> mails = sink.mails();
  EXPECT_EQ(mails[1].message_id, "<after@oms>");
  EXPECT_EQ(mails[1].connection, 2);
  EXPECT_EQ(sink.connections(), 2);  // the message went once, over the new connection
}

TEST(TransportsTest, AKeptSmtpConnectionAnswering421IsReplacedOnce) {
  testing::SmtpSink sink;
  SmtpOptions smtp;
  smtp.url = sink.url();
  ASSERT_TRUE(SendEmail(smtp, "a@b.cn", "s", "b", "before").delivered);
  sink.CloseOnNextMail();  // the kept connection looks alive until MAIL is answered
  Outcome after = SendEmail(smtp, "a@b.cn", "s", "b", "after");
  EXPECT_TRUE(after.delivered) << after.error;
  ASSERT_TRUE(sink.WaitForMails(2, absl::Seconds(10)));
  EXPECT_EQ(sink.mails()[1].connection, 2);
  EXPECT_EQ(sink.connections(), 2);
}

TEST(TransportsTest, A421OnANewSmtpConnectionIsAFailureForTheCourierToRetry) {
  testing::SmtpSink sink;
  SmtpOptions smtp;
  smtp.url = sink.url();
  sink.CloseOnNextMail();
  Outcome outcome = SendEmail(smtp, "a@b.cn", "s", "b", "m");
  EXPECT_FALSE(outcome.delivered);
  EXPECT_EQ(outcome.provider_response, "smtp 421");
  EXPECT_EQ(sink.connections(), 1);  // not tried again at once: the server said why
}

TEST(TransportsTest, UnreachableSmtpServerIsAFailureNotACrash) {
  SmtpOptions smtp;
  smtp.url = "smtp://127.0.0.1:1";
  smtp.timeout = absl::Seconds(5);
  Outcome outcome = SendEmail(smtp, "a@b.cn", "s", "b", "m");
  EXPECT_FALSE(outcome.delivered);
  EXPECT_NE(outcome.error.find("smtp:"), std::string::npos);
}

TEST(TransportsTest, HttpPostDeliversBodyAndHeadersAndReportsStatus) {
  testing::HttpReceiver receiver;
  std::string body = R"({"type":"OrderCreated"})";
  Outcome ok = HttpPost(receiver.url("/hook"), body,
                        {"Content-Type: application/json",
                         "X-OMS-Signature: sha256=" + HmacSha256Hex("s3cret", body)},
                        absl::Seconds(5));
  EXPECT_TRUE(ok.delivered) << ok.error;
  EXPECT_NE(ok.provider_response.find("http 200"), std::string::npos);
  receiver.FailNext(1);
  Outcome failed = HttpPost(receiver.url("/hook"), body, {}, absl::Seconds(5));
  EXPECT_FALSE(failed.delivered);
  EXPECT_EQ(failed.error, "http status 500");
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(requests[0].headers["X-OMS-Signature"], "sha256=" + HmacSha256Hex("s3cret", body));
}

TEST(TransportsTest, PostsFromOneThreadToOneEndpointReuseTheConnection) {
  testing::HttpReceiver receiver;
  for (int i = 0; i < 3; ++i) {
    Outcome sent = HttpPost(receiver.url("/hook"), "{}", {}, absl::Seconds(5));
    EXPECT_TRUE(sent.delivered) << sent.error;
  }
  receiver.FailNext(1);  // a 500 answer does not spoil the connection either
  EXPECT_FALSE(HttpPost(receiver.url("/hook"), "{}", {}, absl::Seconds(5)).delivered);
  EXPECT_TRUE(HttpPost(receiver.url("/hook"), "{}", {}, absl::Seconds(5)).delivered);
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 5u);
  for (const auto& request : requests) EXPECT_EQ(request.remote_port, requests[0].remote_port);
}

TEST(TransportsTest, PostsFromThreadsOneAfterAnotherReuseTheConnection) {
  // The courier's lanes are threads that end with each delivery round.
  testing::HttpReceiver receiver;
  for (int i = 0; i < 3; ++i) {
    std::thread lane([&] {
      EXPECT_TRUE(HttpPost(receiver.url("/hook"), "{}", {}, absl::Seconds(5)).delivered);
    });
    lane.join();
  }
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) EXPECT_EQ(request.remote_port, requests[0].remote_port);
}

TEST(TransportsTest, AReusedHandleCarriesNoHeadersOrBodyOver) {
  testing::HttpReceiver receiver;
  ASSERT_TRUE(
      HttpPost(receiver.url("/a"), "first", {"X-Only-First: 1"}, absl::Seconds(5)).delivered);
  ASSERT_TRUE(HttpPost(receiver.url("/b"), "second", {}, absl::Seconds(5)).delivered);
  auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].path, "/b");
  EXPECT_EQ(requests[1].body, "second");
  EXPECT_EQ(requests[1].headers.count("X-Only-First"), 0u);
}

}  // namespace
}  // namespace oms::notify
