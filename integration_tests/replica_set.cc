#include "integration_tests/replica_set.h"

#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/storage/postgres.h"

namespace oms::integration {

int ReplicasFromEnvironment() {
  const char* value = std::getenv("OMS_TEST_REPLICAS");
  int replicas = 1;
  if (value == nullptr || !absl::SimpleAtoi(value, &replicas) || replicas < 1) return 1;
  return replicas;
}

ReplicaSet::ReplicaSet(const std::string& name, const std::string& work_dir, int replicas,
                       std::vector<std::string> extra_args)
    : name_(name) {
  for (int r = 0; r < replicas; ++r) {
    std::string dir = work_dir;
    if (r > 0) {  // its own port file and log
      dir = absl::StrCat(work_dir, "/", name, ".", r + 1);
      mkdir(dir.c_str(), 0700);
    }
    replicas_.push_back(std::make_unique<ServiceProcess>(name, dir, extra_args));
  }
}

absl::Status ReplicaSet::Start() {
  if (size() > 1) {
    absl::StatusOr<std::string> store = replicas_[0]->StoreTarget();
    if (!store.ok()) return store.status();
    if (!IsPostgresTarget(*store)) {
      return absl::FailedPreconditionError(
          absl::StrCat(size(), " replicas of ", name_,
                       " need a shared PostgreSQL store: set OMS_TEST_STORES=postgres"));
    }
    for (auto& replica : replicas_) replica->share_store(*store);
  }
  for (auto& replica : replicas_) {
    if (replica->running()) continue;
    if (absl::Status s = replica->Start(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void ReplicaSet::set_ports(const std::vector<int>& ports) {
  for (size_t r = 0; r < ports.size() && r < replicas_.size(); ++r)
    replicas_[r]->set_port(ports[r]);
}

void ReplicaSet::Kill() {
  for (auto& replica : replicas_) replica->Kill();
}

void ReplicaSet::Terminate() {
  for (auto& replica : replicas_) replica->Terminate();
}

absl::Status ReplicaSet::Stop() {
  absl::Status stopped = absl::OkStatus();
  for (auto& replica : replicas_) {
    if (!replica->running()) continue;
    absl::StatusOr<int> exit_code = replica->Stop();
    if (!exit_code.ok()) {
      stopped.Update(exit_code.status());
    } else if (*exit_code != 0) {
      stopped.Update(absl::InternalError(absl::StrCat(name_, " exited with ", *exit_code)));
    }
  }
  return stopped;
}

std::string ReplicaSet::address() const {
  return absl::StrJoin(replicas_, ",", [](std::string* out, const auto& replica) {
    out->append(replica->address());
  });
}

std::shared_ptr<grpc::Channel> ReplicaSet::NewChannel(const std::string& principal) const {
  if (size() == 1) return replicas_[0]->NewChannel(principal);
  return OpenTestChannel(address(), principal, TlsPem());
}

}  // namespace oms::integration
