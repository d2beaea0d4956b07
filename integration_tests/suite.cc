#include "integration_tests/suite.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

std::unique_ptr<ReplicaSet> Suite::Service(
    const std::string& name, std::initializer_list<const std::vector<std::string>*> args) {
  return std::make_unique<ReplicaSet>(name, work_dir_, flags_.replicas, Args(flags_.all, args));
}

absl::Status Suite::Start() {
  order_ = Service("order_svc", {&flags_.order});
  inventory_ = Service("inventory_svc", {&flags_.inventory});
  for (ReplicaSet* p : {order_.get(), inventory_.get()}) {
    if (absl::Status s = p->Start(); !s.ok()) return s;
  }
  const std::vector<std::string> carriers = {CarriersFlag()};
  logistics_ = Service("logistics_svc", {&flags_.logistics, &carriers});
  if (absl::Status s = logistics_->Start(); !s.ok()) return s;
  // The orchestrator scores orders with analytics_svc and erases customers in every service,
  // and analytics and notify follow the orchestrator's feed: their ports are chosen first so
  // that each can be told the other's address.
  std::vector<int> analytics_ports, notify_ports;
  std::vector<std::string> analytics_addresses, notify_addresses;
  for (int r = 0; r < flags_.replicas; ++r) {
    analytics_ports.push_back(ReserveLoopbackPort());
    analytics_addresses.push_back(absl::StrCat("127.0.0.1:", analytics_ports.back()));
    notify_ports.push_back(ReserveLoopbackPort());
    notify_addresses.push_back(absl::StrCat("127.0.0.1:", notify_ports.back()));
  }
  std::vector<std::string> wiring = OrchestratorArgs(*order_, *inventory_, *logistics_);
  wiring.push_back("--analytics_addr=" + absl::StrJoin(analytics_addresses, ","));
  wiring.push_back("--notify_addr=" + absl::StrJoin(notify_addresses, ","));
  orchestrator_ = Service("orchestrator_svc", {&wiring, &flags_.orchestrator});
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
  notify_ = Service("notify_svc", {&feeds, &notify_defaults, &flags_.notify});
  notify_->set_ports(notify_ports);
  if (absl::Status s = notify_->Start(); !s.ok()) return s;
  const std::vector<std::string> analytics_defaults = {"--notify_addr=" + notify_->address(),
                                                       "--dashboard_listen=127.0.0.1:0"};
  analytics_ = Service("analytics_svc", {&feeds, &analytics_defaults, &flags_.analytics});
  analytics_->set_ports(analytics_ports);
  return analytics_->Start();
}

std::vector<ReplicaSet*> Suite::All() {
  return {order_.get(),        inventory_.get(), logistics_.get(),
          orchestrator_.get(), notify_.get(),    analytics_.get()};
}

absl::Status Suite::StopAll() {
  for (ReplicaSet* p : All()) p->Terminate();
  absl::Status stopped = absl::OkStatus();
  for (ReplicaSet* p : All()) stopped.Update(p->Stop());
  return stopped;
}

absl::Status Suite::Restart() {
  for (ReplicaSet* p : All()) {
    if (absl::Status s = p->Start(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace oms::integration
