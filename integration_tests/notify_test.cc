// notify_svc as a real process fed by a real order_svc: order events become an email (to an
// SMTP sink) and an SMS (to an HTTP receiver) started by this test; a notify_svc that was
// down catches up and sends each missed notification once; SIGKILL while an SMS is on the
// wire never leads to a second copy.
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "notify_svc/testing/receivers.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(order_svc_.Start()));
    notify_svc_ = std::make_unique<ServiceProcess>(
        "notify_svc", dir_.path(),
        std::vector<std::string>{
            "--order_addr=" + order_svc_.address(),
            "--defaults_file=" + RunfilesBinary("notify_svc", "defaults.textproto"),
            "--smtp_url=" + smtp_.url(), "--sms_url=" + http_.url("/sms"),
            "--delivery_interval=50ms"});
    ASSERT_TRUE(notify_svc_->Start().ok());
  }

  void PlaceOrder(const std::string& reference) {
    auto stub = order::v1::OrderService::NewStub(order_svc_.NewChannel());
    grpc::ClientContext context;
    order::v1::Order order;
    grpc::Status status = stub->CreateOrder(&context, order::SampleCreateOrder(reference), &order);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::vector<notify::v1::Message> Messages() {
    auto stub = notify::v1::NotifyService::NewStub(notify_svc_->NewChannel());
    grpc::ClientContext context;
    notify::v1::ListMessagesRequest request;
    notify::v1::ListMessagesResponse response;
    EXPECT_TRUE(stub->ListMessages(&context, request, &response).ok());
    return {response.messages().begin(), response.messages().end()};
  }

  // Bounded wait until notify_svc has recorded `count` messages as SENT.
  bool WaitUntilSent(int count) {
    absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (absl::Now() < give_up) {
      int sent = 0;
      for (const auto& m : Messages()) sent += m.status() == notify::v1::Message::SENT;
      if (sent >= count) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  testing::TempDir dir_;
  notify::testing::SmtpSink smtp_;
  notify::testing::HttpReceiver http_;
  ServiceProcess order_svc_{"order_svc", dir_.path()};
  std::unique_ptr<ServiceProcess> notify_svc_;
};

TEST_F(NotifyTest, OrdersAreAnnouncedOnceEvenAcrossDowntimeAndCrashes) {
  PlaceOrder("WEB-1");
  ASSERT_TRUE(smtp_.WaitForMails(1, absl::Seconds(30)));
  notify::testing::ReceivedMail mail = smtp_.mails()[0];
  EXPECT_EQ(mail.rcpt_to, "<zhang.wei@example.cn>");
  EXPECT_EQ(mail.subject.rfind("订单已确认：ord_", 0), 0u) << mail.subject;
  EXPECT_NE(mail.body.find("张伟您好"), std::string::npos);
  ASSERT_TRUE(http_.WaitForRequests(1, absl::Seconds(30)));
  ASSERT_TRUE(WaitUntilSent(2));  // recorded, so the kill below interrupts nothing

  // Down while two orders come in: they are sent after the restart, once.
  notify_svc_->Kill();
  PlaceOrder("WEB-2");
  PlaceOrder("WEB-3");
  ASSERT_TRUE(notify_svc_->Start().ok());
  ASSERT_TRUE(smtp_.WaitForMails(3, absl::Seconds(30)));
  ASSERT_TRUE(http_.WaitForRequests(3, absl::Seconds(30)));
  ASSERT_TRUE(WaitUntilSent(6));

  // Killed while an SMS is on the wire: the receiver has it, the outcome is unknown to
  // notify_svc, and it must not send it again after the restart.
  http_.HoldNext();
  PlaceOrder("WEB-4");
  ASSERT_TRUE(http_.WaitForRequests(4, absl::Seconds(30)));
  ASSERT_TRUE(WaitUntilSent(7));  // order 4's email went first and is recorded
  notify_svc_->Kill();
  http_.Release();
  ASSERT_TRUE(notify_svc_->Start().ok());
  PlaceOrder("WEB-5");  // something after the restart, to know delivery has moved on
  ASSERT_TRUE(smtp_.WaitForMails(5, absl::Seconds(30)));
  ASSERT_TRUE(http_.WaitForRequests(5, absl::Seconds(30)));
  ASSERT_TRUE(WaitUntilSent(9));

  std::vector<notify::v1::Message> messages = Messages();
  EXPECT_EQ(messages.size(), 10u);  // five orders, email and SMS each
  int sent = 0, dead = 0;
  for (const auto& m : messages) {
    sent += m.status() == notify::v1::Message::SENT;
    dead += m.status() == notify::v1::Message::DEAD;
  }
  EXPECT_EQ(sent, 9);
  EXPECT_EQ(dead, 1);  // the interrupted SMS, not resent
  EXPECT_EQ(smtp_.mails().size(), 5u);
  EXPECT_EQ(http_.requests().size(), 5u);
  std::set<std::string> delivery_ids;
  for (const auto& r : http_.requests()) delivery_ids.insert(r.headers.at("X-OMS-Delivery-Id"));
  EXPECT_EQ(delivery_ids.size(), 5u);  // no SMS arrived twice
}

}  // namespace
}  // namespace oms::integration
