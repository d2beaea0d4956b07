// logistics_svc: carriers and rates, carrier choice, shipments, tracking, delay and loss
// detection, reship.
//   bazel run //logistics_svc -- --listen=127.0.0.1:50053 --db=var/logistics_svc.db
//     --carriers_file=logistics_svc/carriers.textproto  (same command line)
#include "absl/flags/flag.h"
#include "logistics_svc/logistics_access.h"
#include "logistics_svc/logistics_personal_data.h"
#include "logistics_svc/logistics_service.h"
#include "logistics_svc/logistics_store.h"
#include "platform/base/log.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_main.h"

ABSL_FLAG(std::string, carriers_file, "",
          "text proto (oms.logistics.v1.CarrierList) of carriers to add at start-up if missing");
ABSL_FLAG(absl::Duration, delay_grace, absl::Hours(24),
          "a shipment is DELAYED this long after its promised delivery time");
ABSL_FLAG(absl::Duration, lost_after, absl::Hours(72),
          "a shipment in transit is LOST after this long without a tracking event");
ABSL_FLAG(absl::Duration, detection_interval, absl::Minutes(5),
          "how often the delay and loss detection sweep runs");

int main(int argc, char** argv) {
  oms::ServiceDefinition definition;
  definition.name = "logistics_svc";
  definition.default_port = 50053;
  definition.migrations = {{"logistics", &oms::logistics::store::Migrations()}};
  definition.capabilities = {"carriers",  "quotes", "shipments",    "tracking",
                             "detection", "reship", "carrier_stats"};
  definition.make_parts = [](oms::ServiceHost& host) -> absl::StatusOr<oms::ServiceParts> {
    oms::logistics::DetectionOptions detection;
    detection.delay_grace = absl::GetFlag(FLAGS_delay_grace);
    detection.lost_after = absl::GetFlag(FLAGS_lost_after);
    auto service = std::make_unique<oms::logistics::LogisticsService>(&host, detection);
    if (std::string file = absl::GetFlag(FLAGS_carriers_file); !file.empty()) {
      absl::StatusOr<int> added = service->carriers().SeedFromFile(file);
      if (!added.ok()) return added.status();
      oms::LogInfo("carriers: ", *added, " added from ", file);
    }
    oms::ServiceParts parts;
    oms::logistics::Tracking* tracking = &service->tracking();
    parts.tasks.push_back(std::make_unique<oms::PeriodicTask>(
        "delay and loss detection", absl::GetFlag(FLAGS_detection_interval),
        [tracking] { return tracking->RunDetection().status(); }));
    parts.services.push_back({std::move(service),
                              oms::logistics::v1::LogisticsService::service_full_name(),
                              &oms::logistics::LogisticsAccess()});
    parts.services.push_back(oms::PersonalRecordsPart(std::make_unique<oms::PersonalRecordsService>(
        "logistics_svc", &host.db(), oms::logistics::LogisticsPersonalData())));
    return parts;
  };
  return oms::RunServiceMain(argc, argv, std::move(definition));
}
