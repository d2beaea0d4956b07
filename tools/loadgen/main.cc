// loadgen: drives an OMS suite with one scenario and reports throughput, latency
// percentiles and errors per RPC (docs/BENCHMARKS.md).
//   loadgen --scenario=place --concurrency=16 --duration=30s [--rate=500] [--json=out.json]
// Scenarios: place (PlaceOrder through the orchestrator), allocate-race (many clients, few
// units), track (tracking events), read (GetOrder / ListOrders), mixed.
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "platform/security/tls_files.h"
#include "tools/loadgen/counters.h"
#include "tools/loadgen/driver.h"
#include "tools/loadgen/scenarios.h"

ABSL_FLAG(std::string, scenario, "place", "place, allocate-race, track, read or mixed");
ABSL_FLAG(int, concurrency, 8, "worker threads");
ABSL_FLAG(double, rate, 0, "operations per second in total; 0: closed loop, as fast as it goes");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "measured phase length");
ABSL_FLAG(int64_t, count, 0, "measure this many operations instead of a duration");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "unrecorded run before measuring");
ABSL_FLAG(std::string, json, "", "also write the results here as JSON");
ABSL_FLAG(std::string, key_file, "var/auth/admin.key", "bearer key to call with");
ABSL_FLAG(std::string, orchestrator, "127.0.0.1:50050", "orchestrator_svc address");
ABSL_FLAG(std::string, order, "127.0.0.1:50051", "order_svc address");
ABSL_FLAG(std::string, inventory, "127.0.0.1:50052", "inventory_svc address");
ABSL_FLAG(std::string, logistics, "127.0.0.1:50053", "logistics_svc address");
ABSL_FLAG(std::string, notify, "127.0.0.1:50054", "notify_svc address (counters only)");
ABSL_FLAG(std::string, analytics, "127.0.0.1:50055", "analytics_svc address (counters only)");
ABSL_FLAG(int, channels, 4, "connections per service");
ABSL_FLAG(int, skus, 50, "catalogue size seeded for place and mixed");
ABSL_FLAG(int, race_units, 100, "allocate-race: units of the contended product");
ABSL_FLAG(int, shipments, 200, "track: shipments created first");
ABSL_FLAG(int, orders, 500, "read: orders created first");

namespace {

oms::loadgen::Target TargetFromFlags() {
  oms::loadgen::Target target;
  target.orchestrator = absl::GetFlag(FLAGS_orchestrator);
  target.order = absl::GetFlag(FLAGS_order);
  target.inventory = absl::GetFlag(FLAGS_inventory);
  target.logistics = absl::GetFlag(FLAGS_logistics);
  target.channels = absl::GetFlag(FLAGS_channels);
  target.skus = absl::GetFlag(FLAGS_skus);
  target.race_units = absl::GetFlag(FLAGS_race_units);
  target.shipments = absl::GetFlag(FLAGS_shipments);
  target.orders = absl::GetFlag(FLAGS_orders);
  return target;
}

// Every service's address, for the cost counters.
std::map<std::string, std::string> Addresses(const oms::loadgen::Target& target) {
  return {{"orchestrator_svc", target.orchestrator},
          {"order_svc", target.order},
          {"inventory_svc", target.inventory},
          {"logistics_svc", target.logistics},
          {"notify_svc", absl::GetFlag(FLAGS_notify)},
          {"analytics_svc", absl::GetFlag(FLAGS_analytics)}};
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("loadgen --scenario=NAME [--concurrency=N] [--rate=R] ...");
  absl::ParseCommandLine(argc, argv);
  oms::loadgen::Target target = TargetFromFlags();
  absl::StatusOr<std::string> token = oms::ReadSmallFile(absl::GetFlag(FLAGS_key_file));
  if (!token.ok()) {
    std::cerr << "loadgen: " << token.status().message() << "\n";
    return 2;
  }
  target.token = *token;

  std::string name = absl::GetFlag(FLAGS_scenario);
  auto scenario = oms::loadgen::MakeScenario(name, target);
  if (!scenario.ok()) {
    std::cerr << "loadgen: " << scenario.status().message() << " (one of "
              << absl::StrJoin(oms::loadgen::ScenarioNames(), ", ") << ")\n";
    return 2;
  }
  if (absl::Status setup = (*scenario)->Setup(); !setup.ok()) {
    std::cerr << "loadgen: setup failed: " << setup << "\n";
    return 1;
  }

  oms::loadgen::DriveOptions options;
  options.concurrency = absl::GetFlag(FLAGS_concurrency);
  options.rate = absl::GetFlag(FLAGS_rate);
  options.duration = absl::GetFlag(FLAGS_duration);
  options.count = absl::GetFlag(FLAGS_count);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  std::map<std::string, std::string> addresses = Addresses(target);
  // Counted over warm-up and measurement alike; divided by every operation run.
  auto counters_before = oms::loadgen::ReadCounters(addresses, target.token);
  oms::loadgen::DriveResult result =
      oms::loadgen::Drive(options, [&](int worker, int64_t seq, oms::loadgen::Recorder& r) {
        (*scenario)->Run(worker, seq, r);
      });
  absl::StatusOr<std::string> verified = (*scenario)->Verify();
  auto counters_after = oms::loadgen::ReadCounters(addresses, target.token);
  oms::loadgen::CostPerOperation cost =
      oms::loadgen::Difference(counters_before, counters_after, result.all_operations);

  std::vector<oms::loadgen::RpcSummary> rows =
      oms::loadgen::Summarize(result.recorder, result.elapsed);
  double seconds = absl::ToDoubleSeconds(result.elapsed);
  std::cout << absl::StrFormat(
      "scenario %s, concurrency %d, %s, %d operations in %.1f s = %.1f ops/s\n", name,
      options.concurrency,
      options.rate > 0 ? absl::StrFormat("offered %.0f ops/s", options.rate) : "closed loop",
      result.operations, seconds, result.operations / std::max(seconds, 1e-9));
  std::cout << oms::loadgen::ToText(rows);
  std::string verify_line = verified.ok() ? *verified : verified.status().ToString();
  if (!verify_line.empty()) std::cout << verify_line << "\n";
  std::cout << cost.text << "\n";

  int64_t failed = 0;
  for (const auto& row : rows) failed += row.failed;
  if (!absl::GetFlag(FLAGS_json).empty()) {
    std::ofstream out(absl::GetFlag(FLAGS_json));
    out << absl::StrFormat(
        "{\"scenario\":\"%s\",\"concurrency\":%d,\"offered_rate\":%.1f,\"elapsed_s\":%.3f,"
        "\"operations\":%d,\"ops_per_second\":%.2f,\"failed\":%d,\"verify\":\"%s\",\"rpcs\":%s,"
        "\"cost_per_operation\":%s}\n",
        name, options.concurrency, options.rate, seconds, result.operations,
        result.operations / std::max(seconds, 1e-9), failed, verify_line,
        oms::loadgen::ToJson(rows), cost.json);
  }
  // Exit 0 only for a clean run: every call answered OK and the check held.
  return verified.ok() && failed == 0 && result.operations > 0 ? 0 : 1;
}
