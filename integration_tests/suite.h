#ifndef OMS_INTEGRATION_TESTS_SUITE_H_
#define OMS_INTEGRATION_TESTS_SUITE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "integration_tests/service_process.h"

namespace oms::integration {

// Extra flags for the whole suite or for one of its services.
struct SuiteFlags {
  std::vector<std::string> all;  // every service (e.g. --test_clock_offset_file=...)
  std::vector<std::string> logistics;
  std::vector<std::string> orchestrator;
  std::vector<std::string> notify;
  std::vector<std::string> analytics;
};

// All six services on loopback, as `./oms up` runs them: logistics with the seeded carriers,
// the orchestrator with quick test ticks, notify_svc with the default templates and rules,
// analytics_svc with its dashboard on a free port, and every follower pointed at the feeds
// it follows (never at the default ports, where a developer's own suite may be running).
// The test lists SUITE_DATA (integration_tests/BUILD.bazel) in its data.
class Suite {
 public:
  Suite(const std::string& work_dir, SuiteFlags flags = {});

  // Starts them in dependency order; each is SERVING when this returns OK.
  absl::Status Start();
  // SIGTERM to all six at once, then waits for each, as `./oms down` does.
  absl::Status StopAll();
  // Starts the stopped services again, on their stores and ports, in dependency order.
  absl::Status Restart();

  ServiceProcess& order() { return *order_; }
  ServiceProcess& inventory() { return *inventory_; }
  ServiceProcess& logistics() { return *logistics_; }
  ServiceProcess& orchestrator() { return *orchestrator_; }
  ServiceProcess& notify() { return *notify_; }
  ServiceProcess& analytics() { return *analytics_; }

 private:
  std::vector<ServiceProcess*> All();

  std::string work_dir_;
  SuiteFlags flags_;
  std::unique_ptr<ServiceProcess> order_, inventory_, logistics_, orchestrator_, notify_,
      analytics_;
};

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_SUITE_H_
