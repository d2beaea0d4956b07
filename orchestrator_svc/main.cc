// orchestrator_svc: PlaceOrder, durable order workflows, review, exception tickets.
//   bazel run //orchestrator_svc -- --listen=127.0.0.1:50050 --db=var/orchestrator_svc.db
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "orchestrator_svc/grpc_peers.h"
#include "orchestrator_svc/orchestrator_access.h"
#include "orchestrator_svc/orchestrator_metrics.h"
#include "orchestrator_svc/orchestrator_personal_data.h"
#include "orchestrator_svc/orchestrator_service.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/personal_data_service.h"
#include "platform/base/status.h"
#include "platform/events/feed_consumer.h"
#include "platform/security/client_channel.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_main.h"

ABSL_FLAG(absl::Duration, worker_interval, absl::Milliseconds(200),
          "how often due workflows are advanced");
ABSL_FLAG(absl::Duration, payment_timeout, absl::Minutes(30),
          "PREPAID orders unpaid this long are cancelled (PAYMENT_TIMEOUT)");
ABSL_FLAG(absl::Duration, review_sla, absl::Hours(4), "manual review due time");
ABSL_FLAG(absl::Duration, processing_timeout, absl::Minutes(30),
          "allocation and shipment stage SLA (PROCESSING_TIMEOUT)");
ABSL_FLAG(absl::Duration, stock_shortage_after, absl::Hours(24),
          "backordered this long opens STOCK_SHORTAGE");
ABSL_FLAG(absl::Duration, pickup_timeout, absl::Hours(48),
          "labels not picked up by the carrier this long open PROCESSING_TIMEOUT");
ABSL_FLAG(absl::Duration, call_deadline, absl::Seconds(5),
          "deadline of each call to another service (sooner when the caller's own is)");
ABSL_FLAG(absl::Duration, retry_backoff, absl::Seconds(2),
          "first retry of a step after a transient failure; doubles per attempt");
ABSL_FLAG(absl::Duration, max_backoff, absl::Minutes(5), "longest wait between retries");
ABSL_FLAG(absl::Duration, reference_ttl, absl::Seconds(60),
          "how long product weights and warehouse regions are reused for shipments; 0: ask "
          "inventory_svc every time");
ABSL_FLAG(std::string, survey_url_prefix, "https://shop.example/survey/",
          "the customer survey's link; the single-use token is appended");
ABSL_FLAG(int, feedback_followup_rating, 2,
          "ratings (1-5) at or below this open a follow-up ticket; 0: none do");
ABSL_FLAG(std::string, feedback_followup_type, "FEEDBACK_FOLLOWUP",
          "the ticket a low rating opens: FEEDBACK_FOLLOWUP or CUSTOMER_COMPLAINT");
ABSL_FLAG(std::string, compensation_approval_limits, "CUSTOMER_SERVICE=20000,OPS=100000",
          "the most each role grants on its own per compensation, in minor units "
          "(ROLE=amount,...); above it a second person whose limit covers it approves; ADMIN "
          "is unlimited unless listed");

ABSL_FLAG(std::vector<std::string>, backorder_priority_tiers, {},
          "customer tiers whose backorders are served first, e.g. VIP (empty: first come, "
          "first served; set, each allocation looks the customer up in order_svc)");
ABSL_FLAG(absl::Duration, score_deadline, absl::Milliseconds(500),
          "how long review waits for analytics_svc to score an order (UNUSUAL_ORDER rules); "
          "without an answer the rule does not match");

ABSL_FLAG(absl::Duration, personal_data_deadline, absl::Minutes(10),
          "deadline of each service's part of EraseCustomerData and ResealPersonalData");

namespace {

// The other services, owned for the life of the binary.
struct PeerClients {
  std::unique_ptr<oms::order::v1::OrderService::Stub> order_stub;
  std::unique_ptr<oms::inventory::v1::InventoryService::Stub> inventory_stub;
  std::unique_ptr<oms::logistics::v1::LogisticsService::Stub> logistics_stub;
  std::unique_ptr<oms::orchestrator::GrpcOrderPeer> order;
  std::unique_ptr<oms::orchestrator::GrpcInventoryPeer> inventory;
  std::unique_ptr<oms::orchestrator::GrpcLogisticsPeer> logistics;
  std::unique_ptr<oms::analytics::v1::AnomalyService::Stub> analytics_stub;
  std::unique_ptr<oms::orchestrator::GrpcAnalyticsPeer> analytics;
};

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  return oms::PeerChannel(address);  // carries this service's key and the caller's identity
}

// PersonalRecords for the orchestrator's own store, and PersonalData for the suite, which
// sweeps every store (long: a store is read whole), so it has a deadline of its own.
void AddPersonalData(oms::ServiceHost& host, oms::ServiceParts& parts) {
  auto own = std::make_unique<oms::PersonalRecordsService>(
      "orchestrator_svc", &host.db(), oms::orchestrator::OrchestratorPersonalData());
  oms::orchestrator::PersonalDataService::Stubs stubs;
  for (const char* peer :
       {"order_svc", "inventory_svc", "logistics_svc", "notify_svc", "analytics_svc"}) {
    stubs[peer] = oms::privacy::v1::PersonalRecords::NewStub(Channel(host.peer(peer)));
  }
  parts.services.push_back(
      {std::make_unique<oms::orchestrator::PersonalDataService>(
           &host, own.get(), std::move(stubs), absl::GetFlag(FLAGS_personal_data_deadline)),
       oms::privacy::v1::PersonalData::service_full_name(),
       &oms::orchestrator::PersonalDataAccess()});
  parts.services.push_back(oms::PersonalRecordsPart(std::move(own)));
}

// The orchestrator's options from its flags; INVALID_ARGUMENT naming a bad flag.
absl::StatusOr<oms::orchestrator::OrchestratorOptions> OptionsFromFlags() {
  oms::orchestrator::OrchestratorOptions options;
  options.call_deadline = absl::GetFlag(FLAGS_call_deadline);
  options.payment_timeout = absl::GetFlag(FLAGS_payment_timeout);
  options.review_sla = absl::GetFlag(FLAGS_review_sla);
  options.processing_timeout = absl::GetFlag(FLAGS_processing_timeout);
  options.stock_shortage_after = absl::GetFlag(FLAGS_stock_shortage_after);
  options.pickup_timeout = absl::GetFlag(FLAGS_pickup_timeout);
  options.retry_backoff = absl::GetFlag(FLAGS_retry_backoff);
  options.max_backoff = absl::GetFlag(FLAGS_max_backoff);
  options.reference_ttl = absl::GetFlag(FLAGS_reference_ttl);
  options.survey_url_prefix = absl::GetFlag(FLAGS_survey_url_prefix);
  options.feedback_followup_rating = absl::GetFlag(FLAGS_feedback_followup_rating);
  if (!oms::orchestrator::v1::ExceptionType_Parse(absl::GetFlag(FLAGS_feedback_followup_type),
                                                  &options.feedback_followup_type) ||
      (options.feedback_followup_type != oms::orchestrator::v1::FEEDBACK_FOLLOWUP &&
       options.feedback_followup_type != oms::orchestrator::v1::CUSTOMER_COMPLAINT)) {
    return absl::InvalidArgumentError(
        "--feedback_followup_type: must be FEEDBACK_FOLLOWUP or CUSTOMER_COMPLAINT");
  }
  absl::StatusOr<oms::auth::ApprovalLimits> limits =
      oms::auth::ApprovalLimits::Parse(absl::GetFlag(FLAGS_compensation_approval_limits));
  if (!limits.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--compensation_approval_limits: ", limits.status().message()));
  }
  options.compensation_limits = *std::move(limits);
  for (const std::string& name : absl::GetFlag(FLAGS_backorder_priority_tiers)) {
    oms::orchestrator::v1::CustomerTier tier;
    if (!oms::orchestrator::v1::CustomerTier_Parse(name, &tier) ||
        tier == oms::orchestrator::v1::CUSTOMER_TIER_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("--backorder_priority_tiers: ", name, " is not NEW, REGULAR, VIP or RISKY"));
    }
    options.backorder_priority_tiers.push_back(tier);
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  oms::ServiceDefinition definition;
  definition.name = "orchestrator_svc";
  definition.default_port = 50050;
  definition.migrations = {{"orchestrator", &oms::orchestrator::store::Migrations()}};
  definition.capabilities = {"place_order", "workflows", "review", "exceptions"};
  definition.make_parts = [](oms::ServiceHost& host) -> absl::StatusOr<oms::ServiceParts> {
    absl::Duration deadline = absl::GetFlag(FLAGS_call_deadline);
    static PeerClients* peers = new PeerClients;
    peers->order_stub = oms::order::v1::OrderService::NewStub(Channel(host.peer("order_svc")));
    peers->inventory_stub =
        oms::inventory::v1::InventoryService::NewStub(Channel(host.peer("inventory_svc")));
    peers->logistics_stub =
        oms::logistics::v1::LogisticsService::NewStub(Channel(host.peer("logistics_svc")));
    peers->order =
        std::make_unique<oms::orchestrator::GrpcOrderPeer>(peers->order_stub.get(), deadline);
    peers->inventory = std::make_unique<oms::orchestrator::GrpcInventoryPeer>(
        peers->inventory_stub.get(), deadline);
    peers->logistics = std::make_unique<oms::orchestrator::GrpcLogisticsPeer>(
        peers->logistics_stub.get(), deadline);
    // Scoring orders (UNUSUAL_ORDER) must not slow intake: a short deadline of its own.
    peers->analytics_stub =
        oms::analytics::v1::AnomalyService::NewStub(Channel(host.peer("analytics_svc")));
    peers->analytics = std::make_unique<oms::orchestrator::GrpcAnalyticsPeer>(
        peers->analytics_stub.get(), std::min(deadline, absl::GetFlag(FLAGS_score_deadline)));
    OMS_ASSIGN_OR_RETURN(oms::orchestrator::OrchestratorOptions options, OptionsFromFlags());
    auto service = std::make_unique<oms::orchestrator::OrchestratorService>(
        &host,
        oms::orchestrator::Peers{peers->order.get(), peers->inventory.get(), peers->logistics.get(),
                                 peers->analytics.get()},
        options);
    oms::orchestrator::Orchestrator* orchestrator = &service->orchestrator();
    oms::ServiceParts parts;
    for (const char* source : {"order_svc", "inventory_svc", "logistics_svc"}) {
      oms::FeedConsumer::Options feed_options;
      feed_options.types = orchestrator->events().types();
      parts.tasks.push_back(oms::FeedConsumer::Connect(
          &host.db(), source, host.peer(source),
          [orchestrator](oms::Session& s, const oms::events::v1::Event& e) {
            return orchestrator->events().Handle(s, e);
          },
          feed_options));
    }
    parts.tasks.push_back(std::make_unique<oms::PeriodicTask>(
        "workflows", absl::GetFlag(FLAGS_worker_interval),
        [orchestrator] { return orchestrator->engine().RunDue().status(); }));
    parts.collectors.push_back(oms::orchestrator::CollectOrchestratorMetrics(&host));
    parts.services.push_back({std::move(service),
                              oms::orchestrator::v1::OrchestratorService::service_full_name(),
                              &oms::orchestrator::OrchestratorAccess()});
    AddPersonalData(host, parts);
    return parts;
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
