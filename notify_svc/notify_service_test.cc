// NotifyService in process with a fake clock, delivering to a real SMTP sink and a real HTTP
// receiver on loopback.
#include "notify_svc/notify_service.h"

#include <thread>

#include "absl/synchronization/notification.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "notify_svc/hmac.h"
#include "notify_svc/notify_defaults.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/testing/receivers.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"
#include "platform/events/batch_preparer.h"
#include "platform/testing/in_process_server.h"

namespace oms::notify {
namespace {

using google::protobuf::util::TimeUtil;

class NotifyServiceTest : public oms::testing::ServiceTest<v1::NotifyService> {
 protected:
  void SetUp() override {
    UseHost("notify_svc", {{"notify", &store::Migrations()}});
    CourierOptions courier;
    courier.smtp.url = smtp_.url();
    courier.smtp.from = "orders@shop.example";
    courier.sms_url = http_.url("/sms");
    courier.max_attempts = 3;
    courier.backoff = absl::Seconds(30);
    service_ = std::make_unique<NotifyService>(host_.get(), courier);
    absl::StatusOr<int> seeded = SeedDefaults(host_.get(), "notify_svc/defaults.textproto");
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    Serve(service_.get());
  }

  events::v1::Event Event(const google::protobuf::Message& payload, const std::string& id) {
    events::v1::Event event;
    event.set_event_id(id);
    event.set_type(payload.GetDescriptor()->name());
    event.set_aggregate_id("agg");
    *event.mutable_occurred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now()));
    event.mutable_payload()->PackFrom(payload);
    return event;
  }

  events::v1::Event OrderCreatedEvent(const std::string& order_id, const std::string& country,
                                      const std::string& event_id) {
    order::v1::OrderCreated created;
    order::v1::Order* order = created.mutable_order();
    order->set_order_id(order_id);
    order->mutable_customer()->set_name(country == "CN" ? "张伟" : "Ann Lee");
    order->mutable_customer()->set_phone("+8613800138000");
    order->mutable_customer()->set_email("wei@example.cn");
    order->mutable_customer()->mutable_shipping_address()->set_country_code(country);
    order->mutable_total()->set_currency_code("CNY");
    order->mutable_total()->set_minor_units(33740);
    return Event(created, event_id);
  }

  // As notify_svc's feed consumers apply a batch (here of one): the dispatcher prepares the
  // handler, asking other services outside the transaction, then it runs in one.
  absl::Status Apply(const events::v1::Event& event) {
    Dispatcher& dispatcher = service_->dispatcher();
    return RunPrepared(
        [&](const std::vector<events::v1::Event>& batch, const absl::Status& failed) {
          return dispatcher.PrepareBatch(batch, failed);
        },
        {event},
        [&](const EventHandler& handler) {
          return host_->db().Transact([&](Session& s) { return handler(s, event); });
        });
  }

  void Handle(const events::v1::Event& event) {
    absl::Status applied = Apply(event);
    ASSERT_TRUE(applied.ok()) << applied;
  }

  v1::RunDeliveryResponse Deliver() {
    grpc::ClientContext context;
    v1::RunDeliveryResponse response;
    grpc::Status status = stub_->RunDelivery(&context, v1::RunDeliveryRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::vector<v1::Message> Messages(v1::Channel channel = v1::CHANNEL_UNSPECIFIED) {
    grpc::ClientContext context;
    v1::ListMessagesRequest request;
    request.set_channel(channel);
    v1::ListMessagesResponse response;
    EXPECT_TRUE(stub_->ListMessages(&context, request, &response).ok());
    return {response.messages().begin(), response.messages().end()};
  }

  void Limit(v1::Channel channel, int max, absl::Duration window,
             v1::FrequencyLimit::Overflow overflow) {
    v1::SetFrequencyLimitRequest request;
    request.mutable_limit()->set_channel(channel);
    request.mutable_limit()->set_max_messages(max);
    request.mutable_limit()->mutable_window()->set_seconds(absl::ToInt64Seconds(window));
    request.mutable_limit()->set_overflow(overflow);
    grpc::ClientContext context;
    v1::FrequencyLimit saved;
    ASSERT_TRUE(stub_->SetFrequencyLimit(&context, request, &saved).ok());
  }

  void Recipient(const v1::Recipient& recipient) {
    v1::SaveRecipientRequest request;
    *request.mutable_recipient() = recipient;
    grpc::ClientContext context;
    v1::Recipient saved;
    grpc::Status status = stub_->SaveRecipient(&context, request, &saved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void OptOut(const std::string& contact, v1::Channel channel) {
    v1::SetOptOutRequest request;
    request.set_contact(contact);
    request.set_channel(channel);
    request.set_opted_out(true);
    grpc::ClientContext context;
    v1::SetOptOutResponse ignored;
    grpc::Status status = stub_->SetOptOut(&context, request, &ignored);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  int CountEvents(const std::string& type) {
    auto events = host_->outbox().List(0, 1000, {type});
    return static_cast<int>(events->size());
  }

  testing::SmtpSink smtp_;
  testing::HttpReceiver http_;
  std::unique_ptr<NotifyService> service_;
};

// Feeds are followed one by one: a shipment's event can come before its order's.
TEST_F(NotifyServiceTest, EventAheadOfItsOrderAsksOrderSvcForTheCustomer) {
  std::vector<std::string> asked;
  bool order_svc_up = false;
  service_->dispatcher().SetContactLookup(
      [&](const std::string& order_id) -> absl::StatusOr<std::optional<store::Contact>> {
        asked.push_back(order_id);
        if (!order_svc_up) return absl::UnavailableError("order_svc is down");
        if (order_id != "ord_early") return std::optional<store::Contact>();
        return std::optional<store::Contact>(
            store::Contact{"张伟", "+8613800138000", "wei@example.cn", "zh-CN"});
      });
  logistics::v1::ShipmentCreated shipped;
  shipped.mutable_shipment()->set_shipment_id("shp_1");
  shipped.mutable_shipment()->set_order_id("ord_early");
  shipped.mutable_shipment()->set_tracking_number("SF1");
  events::v1::Event early = Event(shipped, "evt_ship_1");
  // order_svc unreachable: the event fails (its batch is retried later), nothing is kept.
  EXPECT_EQ(Apply(early).code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(Messages().empty());
  order_svc_up = true;
  Handle(early);
  std::vector<v1::Message> sent = Messages();
  ASSERT_EQ(sent.size(), 2u);  // EMAIL and SMS to the customer
  for (const v1::Message& m : sent) EXPECT_EQ(m.recipient(), "customer:+8613800138000");
  // Asked once per preparation, outside the transaction (however often that one ran).
  EXPECT_EQ(asked, (std::vector<std::string>{"ord_early", "ord_early"}));
  // Known now: the order's own events do not ask again.
  Handle(OrderCreatedEvent("ord_early", "CN", "evt_order_1"));
  EXPECT_EQ(asked.size(), 2u);
  // An order order_svc does not know: no customer message, no error.
  shipped.mutable_shipment()->set_order_id("ord_ghost");
  Handle(Event(shipped, "evt_ship_2"));
  EXPECT_EQ(Messages().size(), 4u);  // + EMAIL and SMS for evt_order_1 only
}

// A call to order_svc for a customer holds no transaction open: while it waits (order_svc
// slow, or down until the deadline), notify_svc's other writers (the courier, the API, the
// other feeds' batches) go on. Before, the call ran inside the batch's transaction and a
// write waited for it.
TEST_F(NotifyServiceTest, AWaitingCustomerLookupHoldsNoWriteLock) {
  absl::Notification asking, answer;
  service_->dispatcher().SetContactLookup(
      [&](const std::string&) -> absl::StatusOr<std::optional<store::Contact>> {
        asking.Notify();
        answer.WaitForNotification();
        return std::optional<store::Contact>(
            store::Contact{"Ann Lee", "+15550100", "ann@example.com", "en"});
      });
  logistics::v1::ShipmentCreated shipped;
  shipped.mutable_shipment()->set_shipment_id("shp_1");
  shipped.mutable_shipment()->set_order_id("ord_slow");
  absl::Status applied;
  std::thread feed([&] { applied = Apply(Event(shipped, "evt_ship_1")); });
  asking.WaitForNotification();
  absl::Notification written;
  std::thread writer([&] {
    EXPECT_TRUE(host_->db()
                    .Transact([](Session& s) {
                      return store::SaveContact(s, "ord_other", {"Bo", "+15550101", "", "en"});
                    })
                    .ok());
    written.Notify();
  });
  // A bound on a wait that must not happen, not a pause: the write is done long before.
  EXPECT_TRUE(written.WaitForNotificationWithTimeout(absl::Seconds(20)));
  answer.Notify();
  writer.join();
  feed.join();
  ASSERT_TRUE(applied.ok()) << applied;
  EXPECT_EQ(Messages().size(), 2u);  // EMAIL and SMS to the customer order_svc named
}

// A customer's tier (from orchestrator_svc) in templates and in rules' conditions, asked for
// only by events whose rules or templates use it.
TEST_F(NotifyServiceTest, TheCustomersTierFillsTemplatesAndChoosesRules) {
  std::vector<std::string> asked;
  service_->dispatcher().SetTierLookup(
      [&](const std::string& phone) -> absl::StatusOr<std::string> {
        asked.push_back(phone);
        return std::string(phone == "+8613800138000" ? "VIP" : "REGULAR");
      });
  Handle(OrderCreatedEvent("ord_1", "US", "evt_1"));
  EXPECT_TRUE(asked.empty());  // nothing uses it yet: no call
  ASSERT_EQ(Messages(v1::EMAIL).size(), 1u);

  v1::SaveTemplateRequest vip_words;
  v1::Template* t = vip_words.mutable_template_();
  t->set_event_type("OrderCreated");
  t->set_channel(v1::EMAIL);
  t->set_locale("en");
  t->set_subject("Order {{order.order_id}} confirmed ({{customer.tier}} customer)");
  t->set_body("Hello {{customer.name}}, thank you!");
  grpc::ClientContext template_context;
  v1::Template saved;
  ASSERT_TRUE(stub_->SaveTemplate(&template_context, vip_words, &saved).ok());
  v1::SaveRuleRequest only_vips;  // the order confirmation goes to VIPs only, by email
  only_vips.mutable_rule()->set_event_type("OrderCreated");
  only_vips.mutable_rule()->add_audiences(v1::CUSTOMER);
  only_vips.mutable_rule()->add_channels(v1::EMAIL);
  (*only_vips.mutable_rule()->mutable_when())["customer.tier"] = "VIP";
  grpc::ClientContext rule_context;
  v1::Rule rule;
  grpc::Status status = stub_->SaveRule(&rule_context, only_vips, &rule);
  ASSERT_TRUE(status.ok()) << status.error_message();

  Handle(OrderCreatedEvent("ord_2", "US", "evt_2"));
  std::vector<v1::Message> emails = Messages(v1::EMAIL);
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[0].subject(), "Order ord_2 confirmed (VIP customer)");  // newest first
  EXPECT_EQ(asked, std::vector<std::string>{"+8613800138000"});            // once, before the batch
  events::v1::Event regular = OrderCreatedEvent("ord_3", "US", "evt_3");
  order::v1::OrderCreated created;
  ASSERT_TRUE(regular.payload().UnpackTo(&created));
  created.mutable_order()->mutable_customer()->set_phone("+8613900000000");
  regular.mutable_payload()->PackFrom(created);
  // The configuration copy now says OrderCreated uses the tier, which is never in the
  // store: a batch of them is looked up before its first try, not after a wasted one.
  ASSERT_TRUE(service_->dispatcher().PrepareBatch({regular}, absl::OkStatus()).ok());
  EXPECT_EQ(asked, (std::vector<std::string>{"+8613800138000", "+8613900000000"}));
  Handle(regular);
  EXPECT_EQ(Messages(v1::EMAIL).size(), 2u);  // a REGULAR customer: the rule does not apply
}

TEST_F(NotifyServiceTest, UnknownPlaceholdersAreRefusedWhenSaved) {
  v1::SaveTemplateRequest request;
  v1::Template* t = request.mutable_template_();
  t->set_event_type("ShipmentDelayed");
  t->set_channel(v1::EMAIL);
  t->set_locale("en");
  t->set_subject("Late: {{shipment.tracking_number}}");
  t->set_body("Dear {{customer.name}}, {{order.total}} {{nonsense}}");
  grpc::ClientContext context;
  v1::Template saved;
  grpc::Status status = stub_->SaveTemplate(&context, request, &saved);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("unknown placeholder {{order.total}}"), std::string::npos);
  EXPECT_NE(status.error_message().find("unknown placeholder {{nonsense}}"), std::string::npos);
  t->set_body("Dear {{customer.name}}, parcel {{shipment.tracking_number}} is late.");
  grpc::ClientContext ok_context;
  EXPECT_TRUE(stub_->SaveTemplate(&ok_context, request, &saved).ok());
}

TEST_F(NotifyServiceTest, PreviewRendersASampleAndListsPlaceholders) {
  v1::PreviewTemplateRequest request;
  request.mutable_template_()->set_event_type("OrderCreated");
  request.mutable_template_()->set_channel(v1::SMS);
  request.mutable_template_()->set_locale("zh-CN");
  request.mutable_template_()->set_body("{{customer.name}}您好，订单 {{order.order_id}} 已确认");
  (*request.mutable_sample())["customer.name"] = "张伟";
  (*request.mutable_sample())["order.order_id"] = "ord_9";
  grpc::ClientContext context;
  v1::PreviewTemplateResponse preview;
  ASSERT_TRUE(stub_->PreviewTemplate(&context, request, &preview).ok());
  EXPECT_EQ(preview.body(), "张伟您好，订单 ord_9 已确认");
  EXPECT_GT(preview.placeholders_size(), 10);
}

TEST_F(NotifyServiceTest, DefaultsCoverCustomerEventsInChineseAndEnglish) {
  grpc::ClientContext context;
  v1::ListTemplatesResponse templates;
  ASSERT_TRUE(stub_->ListTemplates(&context, v1::ListTemplatesRequest(), &templates).ok());
  std::set<std::string> keys;
  for (const auto& t : templates.templates()) {
    keys.insert(t.event_type() + "/" + v1::Channel_Name(t.channel()) + "/" + t.locale());
  }
  for (const char* event : {"OrderCreated", "ShipmentCreated", "ShipmentDelayed",
                            "ShipmentDelivered", "OrderCancelled", "PaymentRefunded"}) {
    for (const char* channel : {"EMAIL", "SMS"}) {
      for (const char* locale : {"zh-CN", "en"}) {
        EXPECT_TRUE(keys.count(std::string(event) + "/" + channel + "/" + locale))
            << event << " " << channel << " " << locale;
      }
    }
  }
  EXPECT_EQ(*SeedDefaults(host_.get(), "notify_svc/defaults.textproto"), 0);
}

// A refund (a return's, a goodwill one, a lower total's difference) is told to the customer
// with its amount; before, nothing told them the money was on its way back.
TEST_F(NotifyServiceTest, ARefundIsToldToTheCustomer) {
  Handle(OrderCreatedEvent("ord_1", "CN", "evt_1"));
  order::v1::PaymentRefunded refunded;
  refunded.set_order_id("ord_1");
  refunded.mutable_refund()->mutable_amount()->set_currency_code("CNY");
  refunded.mutable_refund()->mutable_amount()->set_minor_units(27969);
  refunded.mutable_payment()->mutable_amount()->set_currency_code("CNY");
  refunded.mutable_payment()->mutable_amount()->set_minor_units(33740);
  refunded.mutable_payment()->mutable_refunded()->set_currency_code("CNY");
  refunded.mutable_payment()->mutable_refunded()->set_minor_units(29969);
  events::v1::Event event = Event(refunded, "evt_2");
  event.set_aggregate_id("ord_1");
  Handle(event);
  std::vector<v1::Message> emails;
  for (const v1::Message& m : Messages(v1::EMAIL)) {
    if (m.event_type() == "PaymentRefunded") emails.push_back(m);
  }
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].subject(), "订单 ord_1 已退款 279.69 CNY");
  EXPECT_NE(emails[0].body().find("累计退款 299.69 CNY，实付 337.40 CNY"), std::string::npos)
      << emails[0].body();
}

TEST_F(NotifyServiceTest, OrderEventEmailsAndTextsTheCustomerOnceInTheirLanguage) {
  events::v1::Event event = OrderCreatedEvent("ord_1", "CN", "evt_1");
  Handle(event);
  Handle(event);  // a redelivered event notifies nobody twice
  ASSERT_EQ(Messages().size(), 2u);
  v1::RunDeliveryResponse run = Deliver();
  EXPECT_EQ(run.sent(), 2);
  ASSERT_TRUE(smtp_.WaitForMails(1, absl::Seconds(10)));
  testing::ReceivedMail mail = smtp_.mails()[0];
  EXPECT_EQ(mail.rcpt_to, "<wei@example.cn>");
  EXPECT_EQ(mail.subject, "订单已确认：ord_1");
  EXPECT_EQ(mail.body, "张伟您好，您的订单 ord_1 已确认，应付金额 337.40 CNY。感谢您的惠顾！\n");
  auto sms = http_.requests();
  ASSERT_EQ(sms.size(), 1u);
  EXPECT_EQ(sms[0].path, "/sms");
  EXPECT_NE(sms[0].body.find("\"to\":\"+8613800138000\""), std::string::npos);
  EXPECT_EQ(Deliver().sent(), 0);  // nothing is sent twice

  Handle(OrderCreatedEvent("ord_2", "US", "evt_2"));
  Deliver();
  ASSERT_TRUE(smtp_.WaitForMails(2, absl::Seconds(10)));
  EXPECT_EQ(smtp_.mails()[1].subject, "Order ord_2 confirmed");
}

TEST_F(NotifyServiceTest, WebhooksAreSignedWithHmacSha256) {
  v1::Recipient erp;
  erp.set_recipient_id("erp-sap");
  erp.set_kind(v1::Recipient::WEBHOOK);
  erp.set_name("SAP");
  erp.add_audiences(v1::ERP);
  erp.set_webhook_url(http_.url("/hooks/oms"));
  erp.set_webhook_secret("s3cret");
  erp.add_event_types("OrderCreated");
  Recipient(erp);
  Handle(OrderCreatedEvent("ord_1", "CN", "evt_1"));
  Deliver();
  testing::ReceivedRequest* hook = nullptr;
  std::vector<testing::ReceivedRequest> requests = http_.requests();
  for (auto& r : requests) {
    if (r.path == "/hooks/oms") hook = &r;
  }
  ASSERT_NE(hook, nullptr);
  EXPECT_EQ(hook->headers["X-OMS-Signature"], "sha256=" + HmacSha256Hex("s3cret", hook->body));
  EXPECT_EQ(hook->headers["X-OMS-Event-Type"], "OrderCreated");
  EXPECT_FALSE(hook->headers["X-OMS-Delivery-Id"].empty());
  EXPECT_EQ(hook->headers["Idempotency-Key"], hook->headers["X-OMS-Delivery-Id"]);
  EXPECT_NE(hook->body.find(R"("order_id":"ord_1")"), std::string::npos) << hook->body;
  EXPECT_NE(hook->body.find(R"("@type":"type.googleapis.com/oms.order.v1.OrderCreated")"),
            std::string::npos);

  grpc::ClientContext context;
  v1::ListRecipientsResponse listed;
  ASSERT_TRUE(stub_->ListRecipients(&context, v1::ListRecipientsRequest(), &listed).ok());
  EXPECT_EQ(listed.recipients(0).webhook_secret(), "(set)");  // never read back
}

TEST_F(NotifyServiceTest, ReceiverFailingTwiceGivesOneDeliveryAfterThreeAttempts) {
  v1::DeleteRuleRequest no_email;
  no_email.set_event_type("OrderCreated");
  grpc::ClientContext delete_context;
  v1::Rule deleted;
  ASSERT_TRUE(stub_->DeleteRule(&delete_context, no_email, &deleted).ok());
  v1::SaveRuleRequest sms_only;
  sms_only.mutable_rule()->set_event_type("OrderCreated");
  sms_only.mutable_rule()->add_audiences(v1::CUSTOMER);
  sms_only.mutable_rule()->add_channels(v1::SMS);
  grpc::ClientContext rule_context;
  v1::Rule rule;
  ASSERT_TRUE(stub_->SaveRule(&rule_context, sms_only, &rule).ok());

  http_.FailNext(2);
  Handle(OrderCreatedEvent("ord_1", "CN", "evt_1"));
  EXPECT_EQ(Deliver().failed(), 1);
  EXPECT_EQ(Deliver().failed(), 0);  // not due before the backoff
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(Deliver().failed(), 1);
  clock_.Advance(absl::Seconds(59));
  EXPECT_EQ(Deliver().sent(), 0);  // second backoff is 60 s
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Deliver().sent(), 1);
  std::vector<v1::Message> messages = Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].status(), v1::Message::SENT);
  EXPECT_EQ(messages[0].attempts(), 3);
  EXPECT_EQ(http_.requests().size(), 3u);  // two refused, one delivered
}

TEST_F(NotifyServiceTest, AStuckChannelDoesNotHoldUpTheOthers) {
  // The SMS provider takes the first text and does not answer; two orders' e-mails (the
  // second queued after the stuck text) still go out meanwhile.
  http_.HoldNext();
  Handle(OrderCreatedEvent("ord_1", "CN", "evt_1"));
  Handle(OrderCreatedEvent("ord_2", "CN", "evt_2"));
  v1::RunDeliveryResponse run;
  std::thread courier([&] { run = Deliver(); });
  EXPECT_TRUE(smtp_.WaitForMails(2, absl::Seconds(20)));
  http_.Release();
  courier.join();
  EXPECT_EQ(run.sent(), 4);  // both e-mails, and both texts once the provider answered
  std::vector<testing::ReceivedRequest> texts = http_.requests();
  ASSERT_EQ(texts.size(), 2u);
}

TEST_F(NotifyServiceTest, GivingUpMarksDeadWithAnEventAndRetryResends) {
  v1::SendNotificationRequest send;
  send.set_channel(v1::WEBHOOK);
  send.set_address(http_.url("/down"));
  send.set_body("{}");
  send.set_idempotency_key("manual-1");
  grpc::ClientContext context;
  v1::Message message;
  ASSERT_TRUE(stub_->SendNotification(&context, send, &message).ok());
  http_.FailNext(100);
  for (int i = 0; i < 3; ++i) {
    Deliver();
    clock_.Advance(absl::Hours(1));
  }
  std::vector<v1::Message> messages = Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].status(), v1::Message::DEAD);
  EXPECT_EQ(messages[0].last_error(), "http status 500");
  EXPECT_EQ(CountEvents("MessageDead"), 1);
  EXPECT_EQ(CountEvents("MessageSent"), 0);

  http_.FailNext(0);
  grpc::ClientContext retry_context;
  v1::RetryMessageRequest retry;
  retry.set_message_id(messages[0].message_id());
  ASSERT_TRUE(stub_->RetryMessage(&retry_context, retry, &message).ok());
  EXPECT_EQ(Deliver().sent(), 1);
  EXPECT_EQ(CountEvents("MessageSent"), 1);  // analytics sees the later outcome
  grpc::ClientContext again_context;
  EXPECT_EQ(stub_->RetryMessage(&again_context, retry, &message).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(NotifyServiceTest, FrequencyLimitSuppressesOverflowWithAReason) {
  Limit(v1::EMAIL, 2, absl::Hours(1), v1::FrequencyLimit::SUPPRESS);
  for (int i = 0; i < 3; ++i) {
    Handle(OrderCreatedEvent("ord_" + std::to_string(i), "CN", "evt_" + std::to_string(i)));
  }
  int queued = 0, suppressed = 0;
  for (const v1::Message& m : Messages(v1::EMAIL)) {
    if (m.status() == v1::Message::QUEUED) ++queued;
    if (m.status() == v1::Message::SUPPRESSED) {
      ++suppressed;
      EXPECT_EQ(m.last_error(), "frequency limit 2 per 1h");
    }
  }
  EXPECT_EQ(queued, 2);
  EXPECT_EQ(suppressed, 1);
  clock_.Advance(absl::Hours(1) + absl::Seconds(1));  // the window has passed
  Handle(OrderCreatedEvent("ord_9", "CN", "evt_9"));
  EXPECT_EQ(Messages(v1::EMAIL).front().status(), v1::Message::QUEUED);
}

TEST_F(NotifyServiceTest, OverflowFoldsIntoADigestSentWhenTheWindowEnds) {
  Limit(v1::EMAIL, 1, absl::Hours(1), v1::FrequencyLimit::DIGEST);
  for (int i = 0; i < 3; ++i) {
    Handle(OrderCreatedEvent("ord_" + std::to_string(i), "US", "evt_" + std::to_string(i)));
  }
  Deliver();
  ASSERT_TRUE(smtp_.WaitForMails(1, absl::Seconds(10)));
  EXPECT_EQ(Deliver().digests(), 0);  // window still open
  clock_.Advance(absl::Hours(1));
  v1::RunDeliveryResponse run = Deliver();
  EXPECT_EQ(run.digests(), 1);
  EXPECT_EQ(run.sent(), 1);
  ASSERT_TRUE(smtp_.WaitForMails(2, absl::Seconds(10)));
  testing::ReceivedMail digest = smtp_.mails()[1];
  EXPECT_EQ(digest.subject, "2 more notifications");
  EXPECT_EQ(digest.body, "- Order ord_1 confirmed\n- Order ord_2 confirmed\n");
}

TEST_F(NotifyServiceTest, QuietHoursDelayNonUrgentMessagesUrgentOnesGoAtOnce) {
  v1::Recipient buyer;
  buyer.set_recipient_id("buyer-1");
  buyer.set_kind(v1::Recipient::PERSON);
  buyer.set_name("采购 王");
  buyer.add_audiences(v1::PURCHASING);
  buyer.set_email("buyer@shop.example");
  buyer.set_quiet_start_minute(22 * 60);
  buyer.set_quiet_end_minute(8 * 60);
  buyer.set_utc_offset_minutes(8 * 60);
  Recipient(buyer);
  clock_.Set(absl::FromUnixSeconds(1767225600) + absl::Hours(15));  // 23:00 in UTC+8
  inventory::v1::LowStock low;
  low.set_sku("TEA-1");
  low.set_available(2);
  low.set_safety_stock(5);
  Handle(Event(low, "evt_low"));
  EXPECT_EQ(Deliver().sent(), 0);
  std::vector<v1::Message> email = Messages(v1::EMAIL);
  ASSERT_EQ(email.size(), 1u);
  EXPECT_EQ(email[0].next_attempt_at().seconds(), 1767225600 + 24 * 3600);  // 08:00 local
  clock_.Advance(absl::Hours(9));
  EXPECT_EQ(Deliver().sent(), 1);
  ASSERT_TRUE(smtp_.WaitForMails(1, absl::Seconds(10)));
  EXPECT_EQ(smtp_.mails()[0].subject, "Low stock: TEA-1");
}

TEST_F(NotifyServiceTest, OptedOutCustomersAreNotTextedButStillEmailed) {
  OptOut("+86 138-0013-8000", v1::SMS);
  Handle(OrderCreatedEvent("ord_1", "CN", "evt_1"));
  std::vector<v1::Message> sms = Messages(v1::SMS);
  ASSERT_EQ(sms.size(), 1u);
  EXPECT_EQ(sms[0].status(), v1::Message::SUPPRESSED);
  EXPECT_EQ(sms[0].last_error(), "the customer opted out of SMS");
  EXPECT_EQ(Messages(v1::EMAIL)[0].status(), v1::Message::QUEUED);
}

TEST_F(NotifyServiceTest, AnOptOutHoldsWhateverCaseTheOrderWritesTheEmailIn) {
  OptOut("wei@example.cn", v1::EMAIL);
  events::v1::Event created = OrderCreatedEvent("ord_1", "CN", "evt_1");
  order::v1::OrderCreated payload;
  ASSERT_TRUE(created.payload().UnpackTo(&payload));
  payload.mutable_order()->mutable_customer()->set_email("Wei@Example.CN");
  created.mutable_payload()->PackFrom(payload);
  Handle(created);
  std::vector<v1::Message> emails = Messages(v1::EMAIL);
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].status(), v1::Message::SUPPRESSED);
  EXPECT_EQ(emails[0].suppressed_by(), v1::Message::OPTED_OUT);
}

TEST_F(NotifyServiceTest, AManualMessageRespectsTheCustomersOptOut) {
  OptOut("+86 138-0013-8000", v1::SMS);
  auto send = [&](v1::Channel channel, const std::string& address, v1::Message* message) {
    v1::SendNotificationRequest request;
    request.set_channel(channel);
    request.set_address(address);
    request.set_body("Your parcel is held at customs; please call us.");
    grpc::ClientContext send_context;
    return stub_->SendNotification(&send_context, request, message);
  };
  v1::Message text;
  ASSERT_TRUE(send(v1::SMS, "+86 138 0013 8000", &text).ok());  // written as people write it
  EXPECT_EQ(text.status(), v1::Message::SUPPRESSED);
  EXPECT_EQ(text.suppressed_by(), v1::Message::OPTED_OUT);
  EXPECT_EQ(text.last_error(), "the customer opted out of SMS");
  // Only the channel they left: e-mail and other numbers still go.
  v1::Message mail;
  ASSERT_TRUE(send(v1::EMAIL, "wei@example.cn", &mail).ok());
  EXPECT_EQ(mail.status(), v1::Message::QUEUED);
  v1::Message other;
  ASSERT_TRUE(send(v1::SMS, "+8613900139000", &other).ok());
  EXPECT_EQ(other.status(), v1::Message::QUEUED);
}

TEST_F(NotifyServiceTest, InAppInboxListsWatchesAndMarksRead) {
  v1::Recipient buyer;
  buyer.set_recipient_id("buyer-1");
  buyer.set_kind(v1::Recipient::GROUP);
  buyer.set_name("Purchasing");
  buyer.add_audiences(v1::PURCHASING);
  buyer.set_in_app_id("team:purchasing");
  Recipient(buyer);

  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::WatchInboxRequest watch;
  watch.set_in_app_id("team:purchasing");
  auto stream = stub_->WatchInbox(&watch_context, watch);
  inventory::v1::LowStock low;
  low.set_sku("TEA-1");
  low.set_available(2);
  low.set_safety_stock(5);
  std::thread producer([&] { Handle(Event(low, "evt_low")); });
  v1::InboxItem pushed;
  ASSERT_TRUE(stream->Read(&pushed));  // arrives live
  EXPECT_EQ(pushed.subject(), "Low stock: TEA-1");
  producer.join();
  watch_context.TryCancel();
  while (stream->Read(&pushed)) {
  }
  stream->Finish();

  grpc::ClientContext list_context;
  v1::ListInboxRequest list;
  list.set_in_app_id("team:purchasing");
  v1::ListInboxResponse inbox;
  ASSERT_TRUE(stub_->ListInbox(&list_context, list, &inbox).ok());
  EXPECT_EQ(inbox.unread(), 1);
  grpc::ClientContext mark_context;
  v1::MarkReadRequest mark;
  mark.set_in_app_id("team:purchasing");
  v1::MarkReadResponse marked;
  ASSERT_TRUE(stub_->MarkRead(&mark_context, mark, &marked).ok());
  EXPECT_EQ(marked.marked(), 1);
  EXPECT_EQ(Messages(v1::IN_APP)[0].status(), v1::Message::SENT);
}

// What a crash mid-send leaves behind: every due message claimed (SENDING, one attempt)
// with no outcome recorded.
void ClaimDueAsIfCrashedMidSend(Database& db, const Clock& clock) {
  ASSERT_TRUE(db.Transact([&](Session& s) -> absl::Status {
                  OMS_ASSIGN_OR_RETURN(std::vector<v1::Message> due,
                                       store::DueMessages(s, clock.Now(), 10));
                  for (v1::Message& m : due) {
                    m.set_status(v1::Message::SENDING);
                    m.set_attempts(1);
                    OMS_RETURN_IF_ERROR(store::SaveMessage(s, m));
                  }
                  return absl::OkStatus();
                }).ok());
}

TEST_F(NotifyServiceTest, AttemptInterruptedByACrashIsNeverRepeatedAutomatically) {
  Handle(OrderCreatedEvent("ord_1", "US", "evt_1"));
  ClaimDueAsIfCrashedMidSend(host_->db(), clock_);
  ASSERT_TRUE(service_->courier().RecoverInterrupted().ok());
  EXPECT_EQ(Deliver().sent(), 0);
  for (const v1::Message& m : Messages()) {
    EXPECT_EQ(m.status(), v1::Message::DEAD);
    EXPECT_NE(m.last_error().find("interrupted"), std::string::npos);
  }
  EXPECT_EQ(CountEvents("MessageDead"), 2);
}

// Where the receiver deduplicates on the Idempotency-Key (the message id), an interrupted
// attempt is sent again instead of being lost; email, which has no such key, stays DEAD.
TEST_F(NotifyServiceTest, AnInterruptedAttemptIsSentAgainWhereTheReceiverDeduplicates) {
  Handle(OrderCreatedEvent("ord_1", "US", "evt_1"));
  ClaimDueAsIfCrashedMidSend(host_->db(), clock_);
  CourierOptions options;
  options.resend_interrupted = {v1::SMS};
  Courier courier(host_.get(), options);
  ASSERT_TRUE(courier.RecoverInterrupted().ok());
  int queued = 0, dead = 0;
  for (const v1::Message& m : Messages()) {
    if (m.channel() == v1::SMS) {
      EXPECT_EQ(m.status(), v1::Message::QUEUED);
      EXPECT_EQ(m.attempts(), 1);  // the interrupted attempt counts
      EXPECT_NE(m.last_error().find("same Idempotency-Key"), std::string::npos);
      ++queued;
    } else {
      EXPECT_EQ(m.status(), v1::Message::DEAD) << v1::Channel_Name(m.channel());
      ++dead;
    }
  }
  EXPECT_EQ(queued, 1);
  EXPECT_EQ(dead, 1);
  EXPECT_EQ(CountEvents("MessageDead"), 1);
}

// Each channel's delivery task settles only its own channel's interrupted attempts: one that
// starts later must not take another channel's attempts in flight for a crash's leftovers.
TEST_F(NotifyServiceTest, RecoveringOneChannelLeavesAnotherChannelsAttemptsInFlight) {
  Handle(OrderCreatedEvent("ord_1", "US", "evt_1"));
  ClaimDueAsIfCrashedMidSend(host_->db(), clock_);
  ASSERT_TRUE(service_->courier().RecoverInterrupted(v1::EMAIL).ok());
  ASSERT_EQ(Messages(v1::EMAIL).size(), 1u);
  EXPECT_EQ(Messages(v1::EMAIL)[0].status(), v1::Message::DEAD);
  ASSERT_EQ(Messages(v1::SMS).size(), 1u);
  EXPECT_EQ(Messages(v1::SMS)[0].status(), v1::Message::SENDING);  // its own task's to settle
}

// A channel's round attempts that channel only: a dead provider's backlog on another channel
// is not in its way (notify_svc runs a task per channel).
TEST_F(NotifyServiceTest, AChannelsRoundAttemptsOnlyThatChannel) {
  Handle(OrderCreatedEvent("ord_1", "US", "evt_1"));
  absl::StatusOr<v1::RunDeliveryResponse> sms = service_->courier().RunChannel(v1::SMS);
  ASSERT_TRUE(sms.ok()) << sms.status();
  EXPECT_EQ(sms->sent(), 1);
  EXPECT_EQ(http_.requests().size(), 1u);
  ASSERT_EQ(Messages(v1::EMAIL).size(), 1u);
  EXPECT_EQ(Messages(v1::EMAIL)[0].status(), v1::Message::QUEUED);
  EXPECT_EQ(Messages(v1::EMAIL)[0].attempts(), 0);
  absl::StatusOr<v1::RunDeliveryResponse> email = service_->courier().RunChannel(v1::EMAIL);
  ASSERT_TRUE(email.ok()) << email.status();
  EXPECT_EQ(email->sent(), 1);
  EXPECT_EQ(Messages(v1::EMAIL)[0].status(), v1::Message::SENT);
}

// The dispatcher keeps rules, templates and recipients in memory: a change made through the
// API must still reach the very next event.
TEST_F(NotifyServiceTest, ARecipientOrTemplateSavedBetweenEventsAppliesToTheNextOne) {
  orchestrator::v1::ExceptionEscalated escalated;
  escalated.mutable_ticket()->set_ticket_id("exc_1");
  escalated.mutable_ticket()->set_order_id("ord_1");
  escalated.mutable_ticket()->set_assignee("ops");
  Handle(Event(escalated, "evt_before"));
  EXPECT_TRUE(Messages(v1::IN_APP).empty());  // nobody called "ops" yet

  v1::Recipient lead;
  lead.set_recipient_id("ops");
  lead.set_kind(v1::Recipient::PERSON);
  lead.set_name("Ops lead");
  lead.set_in_app_id("ops");
  Recipient(lead);
  Handle(Event(escalated, "evt_after_recipient"));
  std::vector<v1::Message> sent = Messages(v1::IN_APP);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient(), "recipient:ops");

  v1::SaveTemplateRequest request;
  request.mutable_template_()->set_event_type("ExceptionEscalated");
  request.mutable_template_()->set_channel(v1::IN_APP);
  request.mutable_template_()->set_locale("en");
  request.mutable_template_()->set_subject("Changed: {{ticket.ticket_id}}");
  request.mutable_template_()->set_body("{{ticket.order_id}}");
  grpc::ClientContext context;
  v1::Template saved;
  ASSERT_TRUE(stub_->SaveTemplate(&context, request, &saved).ok());
  Handle(Event(escalated, "evt_after_template"));
  std::map<std::string, std::string> subject_by_event;
  for (const v1::Message& m : Messages(v1::IN_APP)) subject_by_event[m.event_id()] = m.subject();
  EXPECT_EQ(subject_by_event["evt_after_template"], "Changed: exc_1");
}

// Issue 15, 7: the orchestrator's ticket and review events could not notify anyone.
TEST_F(NotifyServiceTest, TicketsReachTheOpsGroupAndTheAssigneeAndRejectionsTheCustomer) {
  v1::Recipient lead;
  lead.set_recipient_id("ops");  // the default exception rule's lead
  lead.set_kind(v1::Recipient::PERSON);
  lead.set_name("Ops lead");
  lead.set_in_app_id("ops");
  Recipient(lead);
  v1::Recipient reviewer;
  reviewer.set_recipient_id("reviewer-chen");
  reviewer.set_kind(v1::Recipient::PERSON);
  reviewer.set_name("Chen");
  reviewer.add_audiences(v1::REVIEWER);
  reviewer.set_in_app_id("chen");
  Recipient(reviewer);

  orchestrator::v1::ExceptionEscalated escalated;
  orchestrator::v1::ExceptionTicket* ticket = escalated.mutable_ticket();
  ticket->set_ticket_id("exc_1");
  ticket->set_order_id("ord_1");
  ticket->set_type(orchestrator::v1::PACKAGE_LOST);
  ticket->set_assignee("ops");
  ticket->set_escalation_level(1);
  Handle(Event(escalated, "evt_esc"));
  std::vector<v1::Message> sent = Messages(v1::IN_APP);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].recipient(), "recipient:ops");  // the assignee, by recipient id
  EXPECT_NE(sent[0].subject().find("Escalated: ticket exc_1"), std::string::npos)
      << sent[0].subject();

  // One rule per outcome: a rejection goes to the customer, a queued order to reviewers.
  Handle(OrderCreatedEvent("ord_2", "CN", "evt_created"));
  orchestrator::v1::ReviewDecided decided;
  decided.mutable_decision()->set_order_id("ord_2");
  decided.mutable_decision()->set_outcome(orchestrator::v1::ReviewDecision::MANUAL_REVIEW);
  decided.mutable_decision()->set_rule_id("big");
  Handle(Event(decided, "evt_queued"));
  decided.mutable_decision()->set_outcome(orchestrator::v1::ReviewDecision::REJECTED);
  Handle(Event(decided, "evt_rejected"));
  decided.mutable_decision()->set_outcome(orchestrator::v1::ReviewDecision::APPROVED);
  Handle(Event(decided, "evt_approved"));
  std::map<std::string, std::vector<std::string>> by_event;
  for (const v1::Message& m : Messages()) by_event[m.event_id()].push_back(m.recipient());
  EXPECT_EQ(by_event["evt_queued"], std::vector<std::string>{"recipient:reviewer-chen"});
  EXPECT_EQ(by_event["evt_rejected"].size(), 2u);  // the customer's email and SMS
  EXPECT_EQ(by_event["evt_rejected"][0], "customer:+8613800138000");
  EXPECT_TRUE(by_event["evt_approved"].empty());  // approvals tell nobody

  // A rule may only test the event's own fields.
  v1::SaveRuleRequest bad;
  bad.mutable_rule()->set_event_type("OrderHeld");
  bad.mutable_rule()->add_audiences(v1::CUSTOMER);
  (*bad.mutable_rule()->mutable_when())["no.such.field"] = "x";
  grpc::ClientContext context;
  v1::Rule saved;
  EXPECT_EQ(stub_->SaveRule(&context, bad, &saved).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace oms::notify
