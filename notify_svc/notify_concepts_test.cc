// Notify's concepts one at a time on an in-memory store: templates, rules and limits,
// recipients and opt-outs, the message log, the inbox, the shipped defaults.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "notify_svc/courier.h"
#include "notify_svc/dispatcher.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/inbox.h"
#include "notify_svc/message_log.h"
#include "notify_svc/notify_defaults.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/recipients.h"
#include "notify_svc/rules.h"
#include "notify_svc/templates.h"
#include "oms/inventory/v1/purchasing.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/base/clock.h"
#include "platform/testing/in_memory_host.h"

namespace oms::notify {
namespace {

class NotifyConceptsTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_ =
      oms::testing::InMemoryHost("notify_svc", &clock_, {{"notify", &store::Migrations()}});
  Dispatcher dispatcher_{host_.get()};
  Templates templates_{host_.get()};
  Rules rules_{host_.get()};
  Recipients recipients_{host_.get()};
  MessageLog messages_{host_.get(), &dispatcher_};
  Inbox inbox_{host_.get()};

  // Dispatches one event with `payload` and answers the messages it made.
  std::vector<v1::Message> Dispatch(const google::protobuf::Message& payload,
                                    const std::string& event_id) {
    events::v1::Event event;
    event.set_event_id(event_id);
    event.set_type(payload.GetDescriptor()->name());
    event.mutable_payload()->PackFrom(payload);
    absl::Status handled =
        host_->db().Transact([&](Session& s) { return dispatcher_.HandleEvent(s, event); });
    EXPECT_TRUE(handled.ok()) << handled;
    v1::ListMessagesRequest list;
    list.set_event_id(event_id);
    absl::StatusOr<v1::ListMessagesResponse> messages = messages_.List(list);
    EXPECT_TRUE(messages.ok()) << messages.status();
    if (!messages.ok()) return {};
    return {messages->messages().begin(), messages->messages().end()};
  }
};

// The feeds send only what the dispatcher acts on: every type a rule may name and those that
// carry contacts, not the workflow's stage changes (three per order).
TEST_F(NotifyConceptsTest, TheFeedsSendOnlyTheTypesTheDispatcherActsOn) {
  std::vector<std::string> types = dispatcher_.FeedTypes();
  auto has = [&](const std::string& type) {
    return std::find(types.begin(), types.end(), type) != types.end();
  };
  for (const std::string& type : KnownEventTypes()) EXPECT_TRUE(has(type)) << type;
  EXPECT_TRUE(has("OrderCreated"));
  EXPECT_TRUE(has("OrderUpdated"));  // contacts
  EXPECT_FALSE(has("WorkflowStageChanged"));
}

TEST_F(NotifyConceptsTest, ATemplatesPlaceholdersMustBeFieldsOfItsEvent) {
  v1::SaveTemplateRequest save;
  v1::Template* t = save.mutable_template_();
  t->set_event_type("LowStock");
  t->set_channel(v1::EMAIL);
  t->set_locale("en");
  t->set_subject("Low: {{sku}}");
  t->set_body("{{sku}} is at {{available}}; {{nonsense}}");
  absl::Status refused = templates_.Save(save).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("{{nonsense}}"), std::string::npos) << refused;
  t->set_body("{{sku}} is at {{available}}");
  ASSERT_TRUE(templates_.Save(save).ok());
  v1::PreviewTemplateRequest preview;
  *preview.mutable_template_() = *t;
  (*preview.mutable_sample())["sku"] = "TEA-1";
  (*preview.mutable_sample())["available"] = "3";
  absl::StatusOr<v1::PreviewTemplateResponse> shown = templates_.Preview(preview);
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(shown->body(), "TEA-1 is at 3");
  v1::ListTemplatesRequest list;
  list.set_event_type("LowStock");
  EXPECT_EQ(templates_.List(list)->templates_size(), 1);
}

TEST_F(NotifyConceptsTest, RulesNameKnownEventsAndLimitsZeroRemoves) {
  v1::SaveRuleRequest save;
  save.mutable_rule()->set_event_type("NoSuchEvent");
  EXPECT_EQ(rules_.Save(save).status().code(), absl::StatusCode::kInvalidArgument);
  save.mutable_rule()->set_event_type("ExceptionOpened");
  save.mutable_rule()->add_audiences(v1::OPS);
  save.mutable_rule()->add_channels(v1::EMAIL);
  ASSERT_TRUE(rules_.Save(save).ok());
  EXPECT_EQ(rules_.List()->rules_size(), 1);
  v1::DeleteRuleRequest remove;
  remove.set_event_type("ExceptionOpened");
  ASSERT_TRUE(rules_.Delete(remove).ok());
  EXPECT_EQ(rules_.Delete(remove).status().code(), absl::StatusCode::kNotFound);
  v1::SetFrequencyLimitRequest limit;
  limit.mutable_limit()->set_channel(v1::SMS);
  limit.mutable_limit()->set_max_messages(3);
  limit.mutable_limit()->mutable_window()->set_seconds(3600);
  limit.mutable_limit()->set_overflow(v1::FrequencyLimit::SUPPRESS);
  ASSERT_TRUE(rules_.SetFrequencyLimit(limit).ok());
  EXPECT_EQ(rules_.ListFrequencyLimits()->limits_size(), 1);
  limit.mutable_limit()->set_max_messages(0);
  ASSERT_TRUE(rules_.SetFrequencyLimit(limit).ok());
  EXPECT_EQ(rules_.ListFrequencyLimits()->limits_size(), 0);
}

TEST_F(NotifyConceptsTest, AWebhookSecretIsNeverReadBackAndSurvivesAReadBackSave) {
  v1::SaveRecipientRequest save;
  v1::Recipient* r = save.mutable_recipient();
  r->set_recipient_id("erp");
  r->set_kind(v1::Recipient::WEBHOOK);
  r->set_name("ERP");
  r->set_webhook_url("https://erp.example/hook");
  r->set_webhook_secret("s3cret");
  r->add_audiences(v1::ERP);
  absl::StatusOr<v1::Recipient> saved = recipients_.Save(save);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->webhook_secret(), "(set)");
  *save.mutable_recipient() = *saved;  // saved again as read
  ASSERT_TRUE(recipients_.Save(save).ok());
  std::optional<v1::Recipient> stored;
  ASSERT_TRUE(host_->db()
                  .Read([&](Session& s) -> absl::Status {
                    absl::StatusOr<std::optional<v1::Recipient>> found =
                        store::FindRecipient(s, "erp");
                    if (!found.ok()) return found.status();
                    stored = *found;
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->webhook_secret(), "s3cret");
  v1::ListRecipientsRequest list;
  list.set_audience(v1::ERP);
  EXPECT_EQ(recipients_.List(list)->recipients_size(), 1);
}

TEST_F(NotifyConceptsTest, AManualSendIsQueuedOnceAndOnlyAFailedOneIsRetried) {
  v1::SendNotificationRequest send;
  send.set_idempotency_key("hello-1");
  send.set_channel(v1::EMAIL);
  send.set_address("Li@Example.com");
  send.set_subject("Hello");
  send.set_body("Your order is on its way");
  absl::StatusOr<v1::Message> sent = messages_.Send(send);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->status(), v1::Message::QUEUED);
  EXPECT_EQ(sent->recipient(), "address:li@example.com");
  absl::StatusOr<v1::Message> again = messages_.Send(send);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->message_id(), sent->message_id());
  v1::ListMessagesRequest list;
  EXPECT_EQ(messages_.List(list)->messages_size(), 1);
  v1::RetryMessageRequest retry;
  retry.set_message_id(sent->message_id());
  EXPECT_EQ(messages_.Retry(retry).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A channel with no provider (./oms up configures no SMS) is settled when the message is
// made: SUPPRESSED with the reason, not queued for attempts that can only fail and that
// would take the courier's turns from deliverable messages until they are DEAD.
TEST_F(NotifyConceptsTest, AMessageForAChannelWithoutProviderIsSuppressedWithTheReason) {
  Courier without_sms(host_.get(), CourierOptions());
  std::map<v1::Channel, std::string> undeliverable = without_sms.Undeliverable();
  ASSERT_EQ(undeliverable.size(), 1u);
  EXPECT_EQ(undeliverable[v1::SMS], "no SMS provider (--sms_url)");
  CourierOptions with_sms;
  with_sms.sms_url = "http://127.0.0.1:1/sms";
  EXPECT_TRUE(Courier(host_.get(), with_sms).Undeliverable().empty());

  dispatcher_.SetUndeliverable(v1::SMS, undeliverable[v1::SMS]);
  auto send = [&](v1::Channel channel, const std::string& address) {
    v1::SendNotificationRequest request;
    request.set_idempotency_key(address);
    request.set_channel(channel);
    request.set_address(address);
    request.set_subject("Hello");
    request.set_body("Your order is on its way");
    absl::StatusOr<v1::Message> sent = messages_.Send(request);
    EXPECT_TRUE(sent.ok()) << sent.status();
    return sent.value_or(v1::Message());
  };
  v1::Message text = send(v1::SMS, "+8613800138000");
  EXPECT_EQ(text.status(), v1::Message::SUPPRESSED);
  EXPECT_EQ(text.suppressed_by(), v1::Message::NO_PROVIDER);
  EXPECT_EQ(text.last_error(), "no SMS provider (--sms_url)");
  EXPECT_EQ(send(v1::EMAIL, "li@example.com").status(), v1::Message::QUEUED);
}

// Such a message waits for a provider: RetryMessage refuses while there is none, and once
// the service runs with one (a restart with --sms_url) queues it like a failed one. A
// message suppressed on purpose (an opt-out) is never retried.
TEST_F(NotifyConceptsTest, AMessageWithoutProviderIsRetriedOnceTheChannelHasOne) {
  dispatcher_.SetUndeliverable(v1::SMS, "no SMS provider (--sms_url)");
  v1::SendNotificationRequest request;
  request.set_channel(v1::SMS);
  request.set_address("+8613800138000");
  request.set_body("Your order is on its way");
  v1::Message waiting = messages_.Send(request).value_or(v1::Message());
  // As the dispatcher stores a customer's message after an opt-out.
  v1::Message opted_out = waiting;
  opted_out.set_message_id("msg-opted-out");
  opted_out.set_event_id("evt-1");
  opted_out.set_suppressed_by(v1::Message::OPTED_OUT);
  opted_out.set_last_error("the customer opted out of SMS");
  ASSERT_TRUE(host_->db()
                  .Transact([&](Session& s) { return store::InsertMessage(s, opted_out).status(); })
                  .ok());
  auto retry = [](MessageLog& log, const v1::Message& message) {
    v1::RetryMessageRequest request;
    request.set_message_id(message.message_id());
    return log.Retry(request);
  };
  ASSERT_EQ(waiting.suppressed_by(), v1::Message::NO_PROVIDER);
  absl::StatusOr<v1::Message> refused = retry(messages_, waiting);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "still no SMS provider"))
      << refused.status();

  Dispatcher with_provider(host_.get());  // after a restart with --sms_url
  MessageLog restarted(host_.get(), &with_provider);
  absl::StatusOr<v1::Message> queued = retry(restarted, waiting);
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_EQ(queued->status(), v1::Message::QUEUED);
  EXPECT_EQ(queued->suppressed_by(), v1::Message::SUPPRESSION_UNSPECIFIED);
  absl::StatusOr<v1::Message> on_purpose = retry(restarted, opted_out);
  EXPECT_EQ(on_purpose.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(on_purpose.status().message(), "opted out")) << on_purpose.status();
}

TEST_F(NotifyConceptsTest, AnOptOutIsKeptInOneFormOfTheContact) {
  v1::SetOptOutRequest opt_out;
  EXPECT_EQ(recipients_.SetOptOut(opt_out).status().code(), absl::StatusCode::kInvalidArgument);
  opt_out.set_contact("138-0000-0000");
  opt_out.set_channel(v1::SMS);
  opt_out.set_opted_out(true);
  ASSERT_TRUE(recipients_.SetOptOut(opt_out).ok());
  bool opted_out = false;
  ASSERT_TRUE(host_->db()
                  .Read([&](Session& s) -> absl::Status {
                    absl::StatusOr<bool> found = store::IsOptedOut(s, "13800000000", v1::SMS);
                    if (!found.ok()) return found.status();
                    opted_out = *found;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_TRUE(opted_out);
}

TEST_F(NotifyConceptsTest, AnEmptyInboxAndItsChecks) {
  v1::ListInboxRequest list;
  EXPECT_EQ(inbox_.List(list).status().code(), absl::StatusCode::kInvalidArgument);
  list.set_in_app_id("user-1");
  absl::StatusOr<v1::ListInboxResponse> items = inbox_.List(list);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->items_size(), 0);
  EXPECT_EQ(items->unread(), 0);
  v1::MarkReadRequest read;
  read.set_in_app_id("user-1");
  read.add_message_ids("msg_nope");
  EXPECT_EQ(inbox_.MarkRead(read)->marked(), 0);
}

TEST_F(NotifyConceptsTest, TheShippedDefaultsAreValidAndAddedOnce) {
  absl::StatusOr<int> added = SeedDefaults(host_.get(), "notify_svc/defaults.textproto");
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_GT(*added, 0);
  EXPECT_EQ(*SeedDefaults(host_.get(), "notify_svc/defaults.textproto"), 0);
  EXPECT_EQ(SeedDefaults(host_.get(), "no/such/file").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(NotifyConceptsTest, APurchaseOrderSentReachesItsSupplierByEmailAndWebhook) {
  ASSERT_TRUE(SeedDefaults(host_.get(), "notify_svc/defaults.textproto").ok());
  inventory::v1::PurchaseOrderSent sent;
  sent.mutable_purchase_order()->set_purchase_order_id("po_1");
  sent.mutable_purchase_order()->set_warehouse_id("SH-01");
  sent.mutable_purchase_order()->mutable_total()->set_currency_code("CNY");
  sent.mutable_purchase_order()->mutable_total()->set_minor_units(37500);
  sent.mutable_supplier()->set_supplier_id("LEAF");
  sent.mutable_supplier()->set_name("Leaf & Co");
  sent.mutable_supplier()->set_email("orders@leaf.example");
  sent.mutable_supplier()->set_webhook_url("https://leaf.example/po");
  sent.set_document_csv("sku,quantity\nTEA-1,75\n");
  std::vector<v1::Message> messages = Dispatch(sent, "evt_po");
  ASSERT_EQ(messages.size(), 2u);
  for (const v1::Message& m : messages) {
    EXPECT_EQ(m.recipient(), "supplier:LEAF");
    if (m.channel() == v1::EMAIL) {
      EXPECT_EQ(m.address(), "orders@leaf.example");
      EXPECT_EQ(m.subject(), "Purchase order po_1");
      EXPECT_NE(m.body().find("Dear Leaf & Co"), std::string::npos) << m.body();
      EXPECT_NE(m.body().find("TEA-1,75"), std::string::npos) << m.body();
    } else {
      EXPECT_EQ(m.channel(), v1::WEBHOOK);
      EXPECT_EQ(m.address(), "https://leaf.example/po");
      EXPECT_NE(m.body().find("document_csv"), std::string::npos);
    }
  }
}

// Every webhook subscriber of an event gets the same body: the event as JSON (made once for
// all of them).
TEST_F(NotifyConceptsTest, EachWebhookSubscriberGetsTheEventAsJson) {
  for (const char* id : {"erp", "wms"}) {
    v1::SaveRecipientRequest save;
    v1::Recipient* r = save.mutable_recipient();
    r->set_recipient_id(id);
    r->set_kind(v1::Recipient::WEBHOOK);
    r->set_name(id);
    r->set_webhook_url(absl::StrCat("https://", id, ".example/hook"));
    r->add_audiences(v1::ERP);
    ASSERT_TRUE(recipients_.Save(save).ok());
  }
  v1::SaveRuleRequest rule;
  rule.mutable_rule()->set_event_type("ShipmentCreated");
  rule.mutable_rule()->add_audiences(v1::ERP);
  rule.mutable_rule()->add_channels(v1::WEBHOOK);
  ASSERT_TRUE(rules_.Save(rule).ok());
  logistics::v1::ShipmentCreated created;
  created.mutable_shipment()->set_shipment_id("shp_9");
  created.mutable_shipment()->set_order_id("ord_9");
  std::vector<v1::Message> messages = Dispatch(created, "evt_shp_9");
  ASSERT_EQ(messages.size(), 2u);
  std::set<std::string> addresses;
  for (const v1::Message& m : messages) {
    addresses.insert(m.address());
    EXPECT_EQ(m.channel(), v1::WEBHOOK);
    EXPECT_NE(m.body().find("\"event_id\":\"evt_shp_9\""), std::string::npos) << m.body();
    EXPECT_NE(m.body().find("shp_9"), std::string::npos) << m.body();
    EXPECT_EQ(m.body(), messages.front().body());
  }
  EXPECT_EQ(addresses,
            (std::set<std::string>{"https://erp.example/hook", "https://wms.example/hook"}));
}

}  // namespace
}  // namespace oms::notify
