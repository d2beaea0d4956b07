// analytics_svc: facts from every service's event feed; reports, CSV export and the HTTP
// dashboard (--dashboard_listen, default 127.0.0.1:8080).
//   bazel run //analytics_svc -- --listen=127.0.0.1:50055 --db=var/analytics_svc.db
#include "absl/flags/flag.h"
#include "analytics_svc/analytics_access.h"
#include "analytics_svc/analytics_service.h"
#include "analytics_svc/dashboard.h"
#include "analytics_svc/fact_projector.h"
#include "analytics_svc/facts_store.h"
#include "platform/base/status.h"
#include "platform/events/feed_consumer.h"
#include "platform/server/service_main.h"

ABSL_FLAG(std::string, dashboard_listen, "127.0.0.1:8080", "host:port of the HTTP dashboard");
ABSL_FLAG(std::string, dashboard_port_file, "",
          "if set, the dashboard's bound port is written here");

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
                             "dashboard"};
  definition.make_parts = [](oms::ServiceHost& host) -> absl::StatusOr<oms::ServiceParts> {
    oms::ServiceParts parts;
    std::vector<oms::FeedConsumer*> consumers;
    // Lives as long as the process: the consumers' threads use it until they stop.
    static const auto* projector = new oms::analytics::FactProjector();
    oms::FeedConsumer::Options feed_options;
    feed_options.types = projector->types();
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
        absl::GetFlag(FLAGS_dashboard_port_file)));
    parts.services.push_back({std::move(service),
                              oms::analytics::v1::AnalyticsService::service_full_name(),
                              &oms::analytics::AnalyticsAccess()});
    return parts;
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
