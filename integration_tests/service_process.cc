#include "integration_tests/service_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "platform/base/status.h"
#include "platform/security/client_channel.h"
#include "platform/security/local_keys.h"
#include "platform/testing/postgres_server.h"

namespace oms::integration {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(30);

// The end of a service's log, for error messages.
std::string LogTail(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

bool ReadPort(const std::string& path, int* port) {
  std::ifstream in(path);
  return static_cast<bool>(in >> *port) && *port > 0;
}

}  // namespace

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string RunfilesBinary(const std::string& package, const std::string& target) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "oms", "/", package, "/", target);
}

ServiceProcess::ServiceProcess(std::string name, std::string work_dir,
                               std::vector<std::string> extra_args)
    : name_(std::move(name)), work_dir_(std::move(work_dir)), extra_args_(std::move(extra_args)) {}

ServiceProcess::~ServiceProcess() {
  if (running()) Kill();
}

std::string ServiceProcess::address() const { return absl::StrCat("127.0.0.1:", port_.load()); }

std::string ServiceProcess::db_path() const { return absl::StrCat(work_dir_, "/", name_, ".db"); }

absl::StatusOr<std::string> ServiceProcess::StoreTarget() {
  if (!pg_target_.empty()) return pg_target_;  // made earlier, or shared by a replica
  const char* engine = std::getenv("OMS_TEST_STORES");
  if (engine == nullptr || std::string(engine) != "postgres") return db_path();
  // A database of its own, kept across restarts.
  OMS_ASSIGN_OR_RETURN(testing::PostgresServer * server, testing::PostgresServer::Get());
  OMS_ASSIGN_OR_RETURN(pg_target_, server->NewDatabase());
  return pg_target_;
}

std::string TestKeyDir() {
  static const std::string* dir = [] {
    const char* tmp = std::getenv("TEST_TMPDIR");
    auto* path = new std::string(absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/oms_auth"));
    absl::StatusOr<std::vector<std::string>> created = auth::EnsureLocalKeys(*path);
    if (!created.ok()) {
      std::cerr << "cannot create test keys: " << created.status() << std::endl;
      std::abort();
    }
    return path;
  }();
  return *dir;
}

std::string TestToken(const std::string& principal) {
  absl::StatusOr<std::string> token = ReadSmallFile(TestKeyDir() + "/" + principal + ".key");
  return token.ok() ? *token : "";
}

std::shared_ptr<grpc::Channel> OpenTestChannel(const std::string& address,
                                               const std::string& principal, const TlsPem& tls) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  ClientSecurity security;
  security.bearer_token = TestToken(principal);
  security.tls = tls;
  security.tls_server_name = tls.enabled() ? "localhost" : "";
  return OpenChannel(address, security, args);
}

std::shared_ptr<grpc::Channel> ServiceProcess::NewChannel(const std::string& principal) const {
  return OpenTestChannel(address(), principal, client_tls_);
}

absl::Status ServiceProcess::Start() {
  if (running()) return absl::FailedPreconditionError(name_ + " is already running");
  absl::StatusOr<std::string> store = StoreTarget();
  if (!store.ok()) return store.status();
  std::string port_file = absl::StrCat(work_dir_, "/", name_, ".port");
  unlink(port_file.c_str());
  std::string binary = RunfilesBinary(name_, name_);
  // A port of its own from the first start (not the kernel's pick from its ephemeral range,
  // which an outgoing connection may take while the service is down); a restart reuses it,
  // as a supervisor would, so existing clients reconnect.
  if (port_.load() == 0) port_ = ReserveLoopbackPort();
  std::vector<std::string> args = {binary,
                                   absl::StrCat("--listen=127.0.0.1:", port_.load()),
                                   "--port_file=" + port_file,
                                   "--db=" + *store,
                                   "--shutdown_grace=3s",
                                   "--auth_keys=" + TestKeyDir() + "/keys.textproto",
                                   "--service_key_file=" + TestKeyDir() + "/" + name_ + ".key",
                                   "--data_key_file=" + TestKeyDir() + "/data.keys"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::string log = absl::StrCat(work_dir_, "/", name_, ".log");
  // Built before the fork: the child may only exec.
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  // The entries set here first: the C library's getenv answers the first of a name.
  for (std::string& e : environment_) envp.push_back(e.data());
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    // Child: logs to a file, a clean signal mask, then the real binary.
    FILE* out = freopen(log.c_str(), "a", stderr);
    (void)out;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  pid_ = pid;
  // Bounded wait for the child to bind its port (it writes the file once serving).
  absl::Time give_up = absl::Now() + kStartTimeout;
  int bound = 0;
  while (!ReadPort(port_file, &bound)) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat(name_, " exited during start-up; its log:\n", LogTail(log)));
    }
    if (absl::Now() > give_up) {
      Kill();
      return absl::DeadlineExceededError(absl::StrCat(name_, " did not start; see ", log));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  port_ = bound;
  // The port file is written once the server listens; confirm it answers SERVING.
  auto health = grpc::health::v1::Health::NewStub(NewChannel());
  grpc::Status status;
  grpc::health::v1::HealthCheckResponse response;
  while (true) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    context.set_wait_for_ready(true);
    status = health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) break;
    if (absl::Now() > give_up) {
      return absl::UnavailableError(absl::StrCat(name_, " is not SERVING: ", status.error_message(),
                                                 "; its log:\n", LogTail(log)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::OkStatus();
}

void ServiceProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  terminated_ = false;
}

void ServiceProcess::Terminate() {
  if (!running() || terminated_) return;
  kill(pid_, SIGTERM);
  terminated_ = true;
}

absl::StatusOr<int> ServiceProcess::Stop(absl::Duration timeout) {
  if (!running()) return absl::FailedPreconditionError(name_ + " is not running");
  Terminate();
  absl::StatusOr<int> code = WaitExit(timeout);
  if (absl::IsDeadlineExceeded(code.status())) {
    Kill();
    return absl::DeadlineExceededError(name_ + " ignored SIGTERM");
  }
  return code;
}

absl::StatusOr<int> ServiceProcess::WaitExit(absl::Duration timeout) {
  if (!running()) return absl::FailedPreconditionError(name_ + " is not running");
  absl::Time give_up = absl::Now() + timeout;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) != pid_) {
    if (absl::Now() > give_up) return absl::DeadlineExceededError(name_ + " is still running");
    absl::SleepFor(absl::Milliseconds(10));
  }
  pid_ = -1;
  terminated_ = false;
  if (!WIFEXITED(status)) return absl::InternalError(name_ + " died from a signal");
  return WEXITSTATUS(status);
}

}  // namespace oms::integration
