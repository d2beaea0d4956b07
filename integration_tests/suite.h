#ifndef OMS_INTEGRATION_TESTS_SUITE_H_
#define OMS_INTEGRATION_TESTS_SUITE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "integration_tests/replica_set.h"

namespace oms::integration {

// Extra flags for the whole suite or for one of its services.
struct SuiteFlags {
  std::vector<std::string> all;  // every service (e.g. --test_clock_offset_file=...)
  std::vector<std::string> order;
  std::vector<std::string> inventory;
  std::vector<std::string> logistics;
  std::vector<std::string> orchestrator;
  std::vector<std::string> notify;
  std::vector<std::string> analytics;
  // Replicas of every service (more than one needs OMS_TEST_STORES=postgres); by default
  // OMS_TEST_REPLICAS, so a test target can run an unchanged test on replicas.
  int replicas = ReplicasFromEnvironment();
};

// All six services on loopback, as `./oms up` runs them: logistics with the seeded carriers,
// the orchestrator with quick test ticks, notify_svc with the default templates and rules,
// analytics_svc with its dashboard on a free port, and every follower pointed at the feeds
// it follows (never at the default ports, where a developer's own suite may be running).
// With replicas, every peer flag names all replicas of the peer, and every channel from an
// accessor spreads its calls over them. The test lists SUITE_DATA
// (integration_tests/BUILD.bazel) in its data.
class Suite {
 public:
  Suite(const std::string& work_dir, SuiteFlags flags = {});

  // Starts them in dependency order; each is SERVING when this returns OK.
  absl::Status Start();
  // SIGTERM to every process at once, then waits for each, as `./oms down` does.
  absl::Status StopAll();
  // Starts the stopped services again, on their stores and ports, in dependency order.
  absl::Status Restart();

  ReplicaSet& order() { return *order_; }
  ReplicaSet& inventory() { return *inventory_; }
  ReplicaSet& logistics() { return *logistics_; }
  ReplicaSet& orchestrator() { return *orchestrator_; }
  ReplicaSet& notify() { return *notify_; }
  ReplicaSet& analytics() { return *analytics_; }
  // The six in dependency order.
  std::vector<ReplicaSet*> All();

 private:
  std::unique_ptr<ReplicaSet> Service(const std::string& name,
                                      std::initializer_list<const std::vector<std::string>*> args);

  std::string work_dir_;
  SuiteFlags flags_;
  std::unique_ptr<ReplicaSet> order_, inventory_, logistics_, orchestrator_, notify_, analytics_;
};

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_SUITE_H_
