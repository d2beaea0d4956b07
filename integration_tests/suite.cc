#include "integration_tests/suite.h"

#include "integration_tests/seed.h"

namespace oms::integration {
namespace {

std::vector<std::string> Join(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

Suite::Suite(const std::string& work_dir, SuiteFlags flags)
    : work_dir_(work_dir), flags_(std::move(flags)) {}

absl::Status Suite::Start() {
  order_ = std::make_unique<ServiceProcess>("order_svc", work_dir_, flags_.all);
  inventory_ = std::make_unique<ServiceProcess>("inventory_svc", work_dir_, flags_.all);
  for (ServiceProcess* p : {order_.get(), inventory_.get()}) {
    if (absl::Status s = p->Start(); !s.ok()) return s;
  }
  logistics_ = LogisticsWithCarriers(work_dir_, Join(flags_.all, flags_.logistics));
  if (absl::Status s = logistics_->Start(); !s.ok()) return s;
  orchestrator_ = OrchestratorFor(work_dir_, *order_, *inventory_, *logistics_,
                                  Join(flags_.all, flags_.orchestrator));
  if (absl::Status s = orchestrator_->Start(); !s.ok()) return s;
  std::vector<std::string> feeds = {"--order_addr=" + order_->address(),
                                    "--inventory_addr=" + inventory_->address(),
                                    "--logistics_addr=" + logistics_->address(),
                                    "--orchestrator_addr=" + orchestrator_->address()};
  notify_ = std::make_unique<ServiceProcess>(
      "notify_svc", work_dir_,
      Join(Join(Join(flags_.all, feeds),
                {"--defaults_file=" + RunfilesBinary("notify_svc", "defaults.textproto"),
                 // No mail leaves a test: an address nothing listens on (flags.notify may
                 // name a test receiver instead).
                 "--smtp_url=smtp://127.0.0.1:1"}),
           flags_.notify));
  if (absl::Status s = notify_->Start(); !s.ok()) return s;
  analytics_ = std::make_unique<ServiceProcess>(
      "analytics_svc", work_dir_,
      Join(Join(flags_.all, feeds),
           Join({"--notify_addr=" + notify_->address(), "--dashboard_listen=127.0.0.1:0"},
                flags_.analytics)));
  return analytics_->Start();
}

}  // namespace oms::integration
