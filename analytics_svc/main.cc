// analytics_svc: facts from every service's event feed; reports, CSV export and the HTTP
// dashboard (--dashboard_listen, default 127.0.0.1:8080).
//   bazel run //analytics_svc -- --listen=127.0.0.1:50055 --db=var/analytics_svc.db
#include "absl/flags/flag.h"
#include "analytics_svc/analytics_access.h"
#include "analytics_svc/analytics_personal_data.h"
#include "analytics_svc/analytics_service.h"
#include "analytics_svc/anomaly_service.h"
#include "analytics_svc/anomaly_tickets.h"
#include "analytics_svc/dashboard.h"
#include "analytics_svc/fact_projector.h"
#include "analytics_svc/facts_store.h"
#include "platform/base/status.h"
#include "platform/events/feed_consumer.h"
#include "platform/security/client_channel.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_main.h"

ABSL_FLAG(std::string, dashboard_listen, "127.0.0.1:8080", "host:port of the HTTP dashboard");
ABSL_FLAG(std::string, dashboard_port_file, "",
          "if set, the dashboard's bound port is written here");
ABSL_FLAG(absl::Duration, anomaly_interval, absl::Minutes(15),
          "how often process and sales anomalies are looked for (0: only on DetectAnomalies)");
ABSL_FLAG(absl::Duration, anomaly_refit_interval, absl::Hours(6),
          "how often the baselines are refitted from the history");
ABSL_FLAG(absl::Duration, anomaly_window, absl::Hours(1),
          "the recent span compared against the baselines");
ABSL_FLAG(absl::Duration, anomaly_history, absl::Hours(24 * 28),
          "the history the baselines are fitted on");
ABSL_FLAG(double, anomaly_surprise, 4,
          "how unusual a rate or count must be to be flagged, as -log10(p) of its test");

namespace {

// Detection from the flags; its tickets go to orchestrator_svc over a stub that lives as long
// as the process.
absl::StatusOr<std::unique_ptr<oms::analytics::AnomalyService>> MakeAnomalyService(
    oms::ServiceHost& host) {
  oms::analytics::DetectionOptions options;
  options.window = absl::GetFlag(FLAGS_anomaly_window);
  options.history = absl::GetFlag(FLAGS_anomaly_history);
  options.checks.surprise = absl::GetFlag(FLAGS_anomaly_surprise);
  if (options.window <= absl::ZeroDuration() || options.history <= options.window) {
    return absl::InvalidArgumentError(
        "--anomaly_window must be > 0 and --anomaly_history longer than it");
  }
  oms::analytics::AnomalyTickets* tickets = nullptr;
  if (std::string orchestrator = host.peer("orchestrator_svc"); !orchestrator.empty()) {
    static auto* stub =
        oms::orchestrator::v1::OrchestratorService::NewStub(oms::PeerChannel(orchestrator))
            .release();
    tickets = new oms::analytics::GrpcAnomalyTickets(stub, absl::Seconds(5));
  }
  return std::make_unique<oms::analytics::AnomalyService>(
      &host, options, tickets, absl::GetFlag(FLAGS_anomaly_refit_interval));
}

}  // namespace

int main(int argc, char** argv) {
  oms::ServiceDefinition definition;
  definition.name = "analytics_svc";
  definition.default_port = 50055;
  definition.migrations = {{"analytics", &oms::analytics::facts::Migrations()}};
  definition.capabilities = {"facts",
                             "order_stats",
                             "stage_durations",
                             "exception_stats",
                             "sales",
                             "carrier_performance",
                             "inventory_health",
                             "customer_segments",
                             "notification_stats",
                             "csv_export",
                             "dashboard",
                             "anomalies"};
  definition.make_parts = [](oms::ServiceHost& host) -> absl::StatusOr<oms::ServiceParts> {
    oms::ServiceParts parts;
    std::vector<oms::FeedConsumer*> consumers;
    // Lives as long as the process: the consumers' threads use it until they stop.
    static const auto* projector = new oms::analytics::FactProjector();
    oms::FeedConsumer::Options feed_options;
    feed_options.types = projector->types();
    // The facts are a projection of the sources' durable events: their batches skip the
    // fsync, and a power loss only makes the sources send the last ones again.
    feed_options.durability = oms::Durability::kReplayable;
    for (const char* source :
         {"order_svc", "inventory_svc", "logistics_svc", "notify_svc", "orchestrator_svc"}) {
      auto consumer = oms::FeedConsumer::Connect(
          &host.db(), source, host.peer(source),
          [](oms::Session& s, const oms::events::v1::Event& e) { return projector->Project(s, e); },
          feed_options);
      consumers.push_back(consumer.get());
      parts.tasks.push_back(std::move(consumer));
    }
    oms::ServiceHost* h = &host;
    auto rebuild = [h, consumers]() -> absl::StatusOr<int64_t> {
      OMS_RETURN_IF_ERROR(h->db().Transact(&oms::analytics::facts::Clear));
      int64_t events = 0;
      for (oms::FeedConsumer* consumer : consumers) {
        OMS_ASSIGN_OR_RETURN(int64_t applied, consumer->PollOnce());
        events += applied;
      }
      return events;
    };
    auto service = std::make_unique<oms::analytics::AnalyticsService>(&host, rebuild);
    // The service outlives the background parts (they stop first), so the dashboard may use
    // its reports.
    parts.replica_tasks.push_back(std::make_unique<oms::analytics::Dashboard>(
        &service->reports(), &host.clock(), absl::GetFlag(FLAGS_dashboard_listen),
        absl::GetFlag(FLAGS_dashboard_port_file), host.keys()));
    parts.services.push_back({std::move(service),
                              oms::analytics::v1::AnalyticsService::service_full_name(),
                              &oms::analytics::AnalyticsAccess()});
    OMS_ASSIGN_OR_RETURN(std::unique_ptr<oms::analytics::AnomalyService> anomalies,
                         MakeAnomalyService(host));
    if (absl::Duration every = absl::GetFlag(FLAGS_anomaly_interval);
        every > absl::ZeroDuration()) {
      oms::analytics::AnomalyService* detection = anomalies.get();
      parts.tasks.push_back(std::make_unique<oms::PeriodicTask>(
          "anomaly_detection", every, [detection] { return detection->RunRound(); }));
    }
    parts.services.push_back({std::move(anomalies),
                              oms::analytics::v1::AnomalyService::service_full_name(),
                              &oms::analytics::AnomalyAccess()});
    parts.services.push_back(oms::PersonalRecordsPart(std::make_unique<oms::PersonalRecordsService>(
        "analytics_svc", &host.db(), oms::analytics::AnalyticsPersonalData())));
    return parts;
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
