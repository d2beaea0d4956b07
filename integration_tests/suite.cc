#include "integration_tests/suite.h"

#include "absl/strings/str_cat.h"
#include "integration_tests/seed.h"

namespace oms::integration {
namespace {

// `base` followed by `more`.
std::vector<std::string> Args(std::vector<std::string> base,
                              std::initializer_list<const std::vector<std::string>*> more) {
  for (const std::vector<std::string>* m : more) base.insert(base.end(), m->begin(), m->end());
  return base;
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
  logistics_ = LogisticsWithCarriers(work_dir_, Args(flags_.all, {&flags_.logistics}));
  if (absl::Status s = logistics_->Start(); !s.ok()) return s;
  orchestrator_ = OrchestratorFor(work_dir_, *order_, *inventory_, *logistics_,
                                  Args(flags_.all, {&flags_.orchestrator}));
  if (absl::Status s = orchestrator_->Start(); !s.ok()) return s;
  const std::vector<std::string> feeds = {"--order_addr=" + order_->address(),
                                          "--inventory_addr=" + inventory_->address(),
                                          "--logistics_addr=" + logistics_->address(),
                                          "--orchestrator_addr=" + orchestrator_->address()};
  const std::vector<std::string> notify_defaults = {
      "--defaults_file=" + RunfilesBinary("notify_svc", "defaults.textproto"),
      // No mail leaves a test: an address nothing listens on (flags.notify may name a test
      // receiver instead; the last occurrence of a flag wins).
      "--smtp_url=smtp://127.0.0.1:1"};
  notify_ = std::make_unique<ServiceProcess>(
      "notify_svc", work_dir_, Args(flags_.all, {&feeds, &notify_defaults, &flags_.notify}));
  if (absl::Status s = notify_->Start(); !s.ok()) return s;
  const std::vector<std::string> analytics_defaults = {"--notify_addr=" + notify_->address(),
                                                       "--dashboard_listen=127.0.0.1:0"};
  analytics_ = std::make_unique<ServiceProcess>(
      "analytics_svc", work_dir_,
      Args(flags_.all, {&feeds, &analytics_defaults, &flags_.analytics}));
  return analytics_->Start();
}

std::vector<ServiceProcess*> Suite::All() {
  return {order_.get(),        inventory_.get(), logistics_.get(),
          orchestrator_.get(), notify_.get(),    analytics_.get()};
}

absl::Status Suite::StopAll() {
  for (ServiceProcess* p : All()) p->Terminate();
  absl::Status stopped = absl::OkStatus();
  for (ServiceProcess* p : All()) {
    absl::StatusOr<int> exit_code = p->Stop();
    if (!exit_code.ok()) {
      stopped.Update(exit_code.status());
    } else if (*exit_code != 0) {
      stopped.Update(absl::InternalError(absl::StrCat("a service exited with ", *exit_code)));
    }
  }
  return stopped;
}

absl::Status Suite::Restart() {
  for (ServiceProcess* p : All()) {
    if (absl::Status s = p->Start(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace oms::integration
