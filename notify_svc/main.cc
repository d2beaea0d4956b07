// notify_svc: templates, rules, recipients; email, SMS, webhook and in-app delivery driven by
// the other services' event feeds.
//   bazel run //notify_svc -- --listen=127.0.0.1:50054 --db=var/notify_svc.db
//     --defaults_file=notify_svc/defaults.textproto --smtp_url=smtp://127.0.0.1:2525  (same line)
#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "notify_svc/courier.h"
#include "notify_svc/dispatcher.h"
#include "notify_svc/notify_access.h"
#include "notify_svc/notify_defaults.h"
#include "notify_svc/notify_metrics.h"
#include "notify_svc/notify_personal_data.h"
#include "notify_svc/notify_service.h"
#include "notify_svc/notify_store.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "platform/base/grpc_status.h"
#include "platform/base/log.h"
#include "platform/base/status.h"
#include "platform/events/feed_consumer.h"
#include "platform/security/client_channel.h"
#include "platform/security/peer_call.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_main.h"

ABSL_FLAG(std::string, defaults_file, "",
          "text proto (oms.notify.v1.Defaults) of templates and rules to add if missing");
ABSL_FLAG(std::string, smtp_url, "smtp://127.0.0.1:25", "SMTP server (smtp:// or smtps://)");
ABSL_FLAG(std::string, smtp_from, "oms@localhost", "envelope and From address");
ABSL_FLAG(std::string, smtp_user, "", "SMTP login; the password comes from $OMS_SMTP_PASSWORD");
ABSL_FLAG(bool, smtp_starttls, false, "require STARTTLS");
ABSL_FLAG(std::string, sms_url, "", "SMS provider endpoint (HTTP POST of JSON)");
ABSL_FLAG(int32_t, max_attempts, 5,
          "delivery attempts before a message is DEAD (waiting for an unreachable server is "
          "not an attempt: see --give_up_after)");
ABSL_FLAG(absl::Duration, unreachable_pause, absl::Seconds(5),
          "how long a mail server, SMS provider or webhook host that could not be reached is "
          "left alone before one message tries it again; doubles while it stays down, up to "
          "5 minutes");
ABSL_FLAG(absl::Duration, give_up_after, absl::Hours(24),
          "a message still waiting for an unreachable server this long after it was made is "
          "DEAD");
ABSL_FLAG(std::string, resend_interrupted, "WEBHOOK",
          "channels whose receivers deduplicate on the Idempotency-Key header: an attempt cut "
          "short by a crash is sent again (elsewhere it is marked DEAD); e.g. WEBHOOK,SMS");
ABSL_FLAG(absl::Duration, retry_backoff, absl::Seconds(30), "first retry delay; doubles");
ABSL_FLAG(absl::Duration, delivery_interval, absl::Seconds(1), "how often due messages are sent");
ABSL_FLAG(absl::Duration, delivery_linger, absl::Milliseconds(50),
          "how long a channel's delivery task, woken by a queued message, waits for more "
          "before it sends: one claim and one record commit per round, not per message; 0 "
          "sends at once");

namespace {

// What the dispatcher asks other services: an order's customer ahead of its events
// (order_svc), and a customer's tier for the rules and templates that use it
// (orchestrator_svc). The stubs live as long as the lookups.
constexpr absl::Duration kLookupDeadline = absl::Seconds(5);

void AskPeers(oms::ServiceHost& host, oms::notify::Dispatcher& dispatcher) {
  // Customers of orders whose events have not arrived yet come from order_svc itself.
  std::shared_ptr<oms::order::v1::OrderService::Stub> orders =
      oms::order::v1::OrderService::NewStub(oms::PeerChannel(host.peer("order_svc")));
  dispatcher.SetContactLookup([orders](const std::string& order_id)
                                  -> absl::StatusOr<std::optional<oms::notify::store::Contact>> {
    oms::order::v1::GetOrderRequest request;
    request.set_order_id(order_id);
    absl::StatusOr<oms::order::v1::Order> order = oms::PeerCall(
        orders.get(), &oms::order::v1::OrderService::Stub::GetOrder, request, kLookupDeadline);
    if (absl::IsNotFound(order.status())) return std::optional<oms::notify::store::Contact>();
    OMS_RETURN_IF_ERROR(order.status());
    return std::optional<oms::notify::store::Contact>(oms::notify::ContactOf(*order));
  });
  // The customer's tier for rules and templates that use it, from orchestrator_svc.
  std::shared_ptr<oms::orchestrator::v1::OrchestratorService::Stub> orchestrator =
      oms::orchestrator::v1::OrchestratorService::NewStub(
          oms::PeerChannel(host.peer("orchestrator_svc")));
  dispatcher.SetTierLookup([orchestrator](const std::string& phone) -> absl::StatusOr<std::string> {
    oms::orchestrator::v1::GetCustomerRequest request;
    request.set_phone(phone);
    absl::StatusOr<oms::orchestrator::v1::CustomerProfile> profile = oms::PeerCall(
        orchestrator.get(), &oms::orchestrator::v1::OrchestratorService::Stub::GetCustomer, request,
        kLookupDeadline);
    if (absl::IsNotFound(profile.status())) return std::string("NEW");  // no order yet
    OMS_RETURN_IF_ERROR(profile.status());
    return oms::orchestrator::v1::CustomerTier_Name(profile->tier());
  });
}

// A task per channel: a channel with a long backlog (a dead provider's retries) never holds
// up another's next round. The replica that takes a channel's lease first settles what its
// predecessor left in flight on it (after a crash, or on another replica that died). A
// queued message wakes its channel's task: it does not wait for the next round, only for
// the linger, so a burst goes out in one round.
void AddDeliveryTasks(oms::notify::Courier* courier, oms::notify::Dispatcher& dispatcher,
                      oms::ServiceParts& parts) {
  std::map<oms::notify::v1::Channel, oms::PeriodicTask*> delivery;
  for (oms::notify::v1::Channel channel : {oms::notify::v1::EMAIL, oms::notify::v1::SMS,
                                           oms::notify::v1::WEBHOOK, oms::notify::v1::IN_APP}) {
    auto task = std::make_unique<oms::PeriodicTask>(
        absl::StrCat("delivery:", oms::notify::v1::Channel_Name(channel)),
        absl::GetFlag(FLAGS_delivery_interval),
        [courier, channel] { return courier->RunChannel(channel).status(); },
        [courier, channel] { return courier->RecoverInterrupted(channel); });
    task->set_wake_linger(absl::GetFlag(FLAGS_delivery_linger));
    delivery[channel] = task.get();
    parts.tasks.push_back(std::move(task));
  }
  dispatcher.SetOnQueued([delivery](oms::notify::v1::Channel channel) {
    if (auto it = delivery.find(channel); it != delivery.end()) it->second->Wake();
  });
}

}  // namespace

int main(int argc, char** argv) {
  oms::notify::InitTransports();
  oms::ServiceDefinition definition;
  definition.name = "notify_svc";
  definition.default_port = 50054;
  definition.migrations = {{"notify", &oms::notify::store::Migrations()}};
  definition.capabilities = {"templates", "rules",   "frequency_limits", "recipients", "email",
                             "sms",       "webhook", "in_app",           "feeds"};
  definition.make_parts = [](oms::ServiceHost& host) -> absl::StatusOr<oms::ServiceParts> {
    oms::notify::CourierOptions courier_options;
    courier_options.smtp.url = absl::GetFlag(FLAGS_smtp_url);
    courier_options.smtp.from = absl::GetFlag(FLAGS_smtp_from);
    courier_options.smtp.user = absl::GetFlag(FLAGS_smtp_user);
    // Secrets stay out of flags (and so out of ps and logs).
    if (const char* password = std::getenv("OMS_SMTP_PASSWORD"))
      courier_options.smtp.password = password;
    if (const char* key = std::getenv("OMS_SMS_API_KEY")) courier_options.sms_api_key = key;
    courier_options.smtp.starttls = absl::GetFlag(FLAGS_smtp_starttls);
    courier_options.sms_url = absl::GetFlag(FLAGS_sms_url);
    courier_options.max_attempts = absl::GetFlag(FLAGS_max_attempts);
    courier_options.backoff = absl::GetFlag(FLAGS_retry_backoff);
    courier_options.breaker.first_pause = absl::GetFlag(FLAGS_unreachable_pause);
    courier_options.breaker.max_pause =
        std::max(courier_options.breaker.first_pause, absl::Minutes(5));
    courier_options.give_up_after = absl::GetFlag(FLAGS_give_up_after);
    if (courier_options.breaker.first_pause <= absl::ZeroDuration() ||
        courier_options.give_up_after <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError("--unreachable_pause and --give_up_after must be > 0");
    }
    courier_options.resend_interrupted.clear();
    for (absl::string_view name :
         absl::StrSplit(absl::GetFlag(FLAGS_resend_interrupted), ',', absl::SkipWhitespace())) {
      oms::notify::v1::Channel channel;
      if (!oms::notify::v1::Channel_Parse(std::string(name), &channel) ||
          channel == oms::notify::v1::EMAIL || channel == oms::notify::v1::IN_APP) {
        return absl::InvalidArgumentError(
            absl::StrCat("--resend_interrupted: ", name,
                         " is not SMS or WEBHOOK (email has no idempotency "
                         "key; in-app messages are never in flight)"));
      }
      courier_options.resend_interrupted.insert(channel);
    }

    auto service = std::make_unique<oms::notify::NotifyService>(&host, courier_options);
    // The service outlives the tasks (they stop first), so they may point into it.
    oms::notify::Dispatcher* dispatcher = &service->dispatcher();
    AskPeers(host, *dispatcher);
    oms::notify::Courier* courier = &service->courier();
    if (std::string file = absl::GetFlag(FLAGS_defaults_file); !file.empty()) {
      absl::StatusOr<int> added = oms::notify::SeedDefaults(&host, file);
      if (!added.ok()) return added.status();
      oms::LogInfo("defaults: ", *added, " templates and rules added from ", file);
    }
    oms::ServiceParts parts;
    oms::FeedConsumer::Options feed_options;
    feed_options.types = dispatcher->FeedTypes();  // e.g. no workflow stages: none is told of
    // Each batch's handler comes from the dispatcher, which asks other services outside
    // the batch's transaction.
    feed_options.prepare = [dispatcher](const std::vector<oms::events::v1::Event>& batch,
                                        const absl::Status& failed) {
      return dispatcher->PrepareBatch(batch, failed);
    };
    for (const char* source : {"order_svc", "inventory_svc", "logistics_svc", "orchestrator_svc"}) {
      parts.tasks.push_back(oms::FeedConsumer::Connect(&host.db(), source, host.peer(source),
                                                       oms::FeedConsumer::Handler(), feed_options));
    }
    AddDeliveryTasks(courier, *dispatcher, parts);
    parts.collectors.push_back(oms::notify::CollectNotifyMetrics(&host));
    parts.services.push_back({std::move(service),
                              oms::notify::v1::NotifyService::service_full_name(),
                              &oms::notify::NotifyAccess()});
    parts.services.push_back(oms::PersonalRecordsPart(std::make_unique<oms::PersonalRecordsService>(
        "notify_svc", &host.db(), oms::notify::NotifyPersonalData())));
    return parts;
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
