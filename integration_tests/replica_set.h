#ifndef OMS_INTEGRATION_TESTS_REPLICA_SET_H_
#define OMS_INTEGRATION_TESTS_REPLICA_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "integration_tests/service_process.h"

namespace oms::integration {

// N replicas of one service on one store, as `./oms up --postgres --replicas N` runs them:
// replica 0 in `work_dir`, replica R in `work_dir`/<name>.R, all on replica 0's database.
// More than one replica needs PostgreSQL (OMS_TEST_STORES=postgres): a SQLite file belongs
// to one process. With one replica it is that process, as before.
class ReplicaSet : public Endpoint {
 public:
  ReplicaSet(const std::string& name, const std::string& work_dir, int replicas,
             std::vector<std::string> extra_args = {});

  // Starts every replica that is not running, in order; each is SERVING when this returns OK.
  absl::Status Start();
  // SIGKILL to every replica.
  void Kill();
  // SIGTERM to every running replica without waiting.
  void Terminate();
  // Waits for every running replica to exit (after Terminate): OK when each exited with 0.
  absl::Status Stop();

  // Ports chosen before the first start, one per replica (ReserveLoopbackPort).
  void set_ports(const std::vector<int>& ports);

  int size() const { return static_cast<int>(replicas_.size()); }
  ServiceProcess& replica(int r) { return *replicas_[r]; }
  const ServiceProcess& replica(int r) const { return *replicas_[r]; }

  // "127.0.0.1:A,127.0.0.1:B": what peers and clients are given.
  std::string address() const override;
  // Round-robin over every replica: calls spread over them, and go on when one is down.
  std::shared_ptr<grpc::Channel> NewChannel(const std::string& principal = "admin") const override;

 private:
  std::string name_;
  std::vector<std::unique_ptr<ServiceProcess>> replicas_;
};

// How many replicas of each service a Suite runs unless told: OMS_TEST_REPLICAS, else 1.
int ReplicasFromEnvironment();

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_REPLICA_SET_H_
