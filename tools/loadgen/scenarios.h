#ifndef OMS_TOOLS_LOADGEN_SCENARIOS_H_
#define OMS_TOOLS_LOADGEN_SCENARIOS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "tools/loadgen/driver.h"

namespace oms::loadgen {

// Where the suite is and how to call it.
struct Target {
  std::string orchestrator = "127.0.0.1:50050";
  std::string order = "127.0.0.1:50051";
  std::string inventory = "127.0.0.1:50052";
  std::string logistics = "127.0.0.1:50053";
  std::string token;     // bearer key (ADMIN or OPS; the suite's write rate limit applies)
  int channels = 4;      // connections per service, shared round-robin by the workers
  int skus = 50;         // seeded catalogue size (place, mixed)
  int race_units = 100;  // allocate-race: units of the contended product
  int shipments = 200;   // track: shipments created in setup
  int orders = 500;      // read: orders created in setup
};

// A workload: Setup() once (seeding what it needs, idempotently), then Run() from many
// threads; Verify() after the run answers a line for the report (or an error).
class Scenario {
 public:
  virtual ~Scenario() = default;
  virtual absl::Status Setup() = 0;
  virtual void Run(int worker, int64_t seq, Recorder& recorder) = 0;
  virtual absl::StatusOr<std::string> Verify() { return std::string(); }
};

// "place", "allocate-race", "track", "read", "mixed" or "create" (CreateOrder straight into
// order_svc, to fill a store); NOT_FOUND for anything else.
absl::StatusOr<std::unique_ptr<Scenario>> MakeScenario(const std::string& name,
                                                       const Target& target);
std::vector<std::string> ScenarioNames();

}  // namespace oms::loadgen

#endif  // OMS_TOOLS_LOADGEN_SCENARIOS_H_
