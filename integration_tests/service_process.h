#ifndef OMS_INTEGRATION_TESTS_SERVICE_PROCESS_H_
#define OMS_INTEGRATION_TESTS_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "gtest/gtest.h"
#include "integration_tests/loopback_port.h"
#include "platform/security/tls_files.h"

namespace oms::integration {

// Where a test's clients reach a service: one process, or every replica of it.
class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // What a peer's --*_addr flag says: "127.0.0.1:PORT", or a comma list for replicas.
  virtual std::string address() const = 0;
  // A fresh channel carrying the key of `principal` (one of the local key set: "admin",
  // "ops", "erp", ...), balanced round-robin when address() names several replicas.
  virtual std::shared_ptr<grpc::Channel> NewChannel(
      const std::string& principal = "admin") const = 0;
};

// One real service binary run as a child process on a loopback port it reserves
// (ReserveLoopbackPort, confirmed by --port_file) with its store in a directory the test owns. It
// can be killed with SIGKILL, stopped with SIGTERM and started again on the same store and the same
// port. Start, Kill and Stop belong to one thread; address() and NewChannel() may be called from
// client threads while that thread restarts the process (the crash tests do).
class ServiceProcess : public Endpoint {
 public:
  // `name` is the binary's package and target ("order_svc"); found in the test runfiles.
  // `extra_args` are passed on every start (e.g. --carriers_file=...).
  ServiceProcess(std::string name, std::string work_dir, std::vector<std::string> extra_args = {});
  ~ServiceProcess() override;

  // Starts the binary and waits (bounded) until it has bound its port and reports SERVING.
  absl::Status Start();
  // SIGKILL: no chance to flush or clean up, like a crash or an OOM kill.
  void Kill();
  // SIGTERM and wait up to `timeout` (then SIGKILL and DEADLINE_EXCEEDED); answers the exit
  // code (0 after a clean drain).
  absl::StatusOr<int> Stop(absl::Duration timeout = absl::Seconds(20));
  // SIGTERM without waiting (Stop waits), so several services stop at once as `./oms down`
  // stops them.
  void Terminate();

  // Waits up to `timeout` for the process to exit on its own, without a signal (then
  // DEADLINE_EXCEEDED, the process left running); answers its exit code.
  absl::StatusOr<int> WaitExit(absl::Duration timeout);
  // "NAME=VALUE" entries added to the binary's environment from the next start (e.g.
  // LD_PRELOAD of a test library).
  void set_environment(std::vector<std::string> entries) { environment_ = std::move(entries); }

  bool running() const { return pid_ > 0; }
  // The port to listen on from the next start (before the first: instead of a free one).
  void set_port(int port) { port_ = port; }
  int port() const { return port_.load(); }
  std::string address() const override;
  std::string db_path() const;
  // What --db says: db_path(), or with OMS_TEST_STORES=postgres in the environment a fresh
  // database of the test's PostgreSQL server (platform/testing/postgres_server.h), the same
  // one on every restart. A test target runs the suite on PostgreSQL by setting it.
  absl::StatusOr<std::string> StoreTarget();
  // Another replica's store instead of a fresh one: the replicas of a service share it.
  void share_store(std::string target) { pg_target_ = std::move(target); }
  // A fresh channel to the current process (the port changes across restarts).
  std::shared_ptr<grpc::Channel> NewChannel(const std::string& principal = "admin") const override;
  // TLS material this test's clients present (for servers started with --tls_* flags).
  void set_client_tls(TlsPem tls) { client_tls_ = std::move(tls); }

 private:
  std::string name_;
  std::string work_dir_;
  std::vector<std::string> extra_args_;
  std::vector<std::string> environment_;
  TlsPem client_tls_;
  pid_t pid_ = -1;
  std::atomic<int> port_{0};  // read by client threads during a restart
  bool terminated_ = false;   // SIGTERM sent to the current process
  std::string pg_target_;     // this process's PostgreSQL database, once chosen
};

// A channel to `address` (one or a comma list) carrying `principal`'s key and `tls`, with
// a private subchannel pool: gRPC would otherwise hand a new channel the process-wide
// connection to a previous (killed) server on the same port.
std::shared_ptr<grpc::Channel> OpenTestChannel(const std::string& address,
                                               const std::string& principal, const TlsPem& tls);

// The key directory every ServiceProcess of this test shares (created on first use with
// the local key set, see platform/security/local_keys.h), and one principal's token from it.
std::string TestKeyDir();
std::string TestToken(const std::string& principal);

// Path of a file built or listed in the test's data, e.g. ("order_svc", "order_svc").
std::string RunfilesBinary(const std::string& package, const std::string& target);

// A file's whole content as it is ("" when it cannot be read): a child's output, a doc.
std::string ReadTextFile(const std::string& path);

// For ASSERT_TRUE(Started(process.Start())): a failure says why the start failed (the
// service's log tail), not only that it did.
inline ::testing::AssertionResult Started(const absl::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << status;
}

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_SERVICE_PROCESS_H_
