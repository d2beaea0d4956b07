#include "platform/testing/postgres_server.h"

#include <postgresql/libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "platform/storage/libpq_loader.h"

namespace oms::testing {
namespace {

// The newest installed server's bin directory, e.g. /usr/lib/postgresql/15/bin.
std::string FindBinDir() {
  std::string best;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    std::string bin = entry.path().string() + "/bin";
    if (std::filesystem::exists(bin + "/postgres") && bin > best) best = bin;
  }
  return best;
}

// The user the server runs as: `postgres` when we are root, else ourselves (uid -1).
struct RunAs {
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
};

absl::StatusOr<RunAs> ServerUser() {
  if (geteuid() != 0) return RunAs{};
  passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    return absl::FailedPreconditionError(
        "running as root and there is no `postgres` user to run PostgreSQL as (install the "
        "postgresql package: ./oms install)");
  }
  return RunAs{pw->pw_uid, pw->pw_gid};
}

// Starts `argv` as `user`. With `die_with_us`, the child gets SIGQUIT (immediate shutdown)
// when this process dies, so a crashed test leaves no server behind.
pid_t Spawn(const std::vector<std::string>& argv, const RunAs& user, bool die_with_us,
            const std::string& log) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (user.uid != static_cast<uid_t>(-1)) {
    if (setgid(user.gid) != 0 || setuid(user.uid) != 0) _exit(126);
  }
  // After setuid: changing credentials clears the parent-death signal.
  if (die_with_us) prctl(PR_SET_PDEATHSIG, SIGQUIT);
  if (!log.empty()) {
    FILE* out = freopen(log.c_str(), "a", stdout);
    if (out != nullptr) dup2(fileno(stdout), STDERR_FILENO);
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

absl::Status RunToEnd(const std::vector<std::string>& argv, const RunAs& user,
                      const std::string& log) {
  pid_t pid = Spawn(argv, user, /*die_with_us=*/false, log);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat(argv[0], " failed (exit ", WEXITSTATUS(status), "); see ", log));
  }
  return absl::OkStatus();
}

absl::Status Exec(const std::string& target, const std::string& sql) {
  PGconn* conn = PQconnectdb(target.c_str());
  absl::Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = absl::UnavailableError(PQerrorMessage(conn));
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      status = absl::InternalError(absl::StrCat(sql, ": ", PQresultErrorMessage(result)));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return status;
}

}  // namespace

absl::StatusOr<PostgresServer*> PostgresServer::Get() {
  static absl::Mutex mu(absl::kConstInit);
  static PostgresServer* server = nullptr;
  static absl::Status* failed = nullptr;
  absl::MutexLock lock(&mu);
  if (server != nullptr) return server;
  if (failed != nullptr) return *failed;
  auto* candidate = new PostgresServer();
  absl::Status status = candidate->Init();
  if (!status.ok()) {
    failed = new absl::Status(status);
    delete candidate;
    return status;
  }
  server = candidate;
  std::atexit([] {
    if (server->pid_ > 0) server->Stop().IgnoreError();
    if (!server->dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(server->dir_, ignored);
    }
  });
  return server;
}

absl::Status PostgresServer::Init() {
  if (const char* given = std::getenv("OMS_TEST_POSTGRES"); given != nullptr && *given) {
    admin_target_ = given;
    return absl::OkStatus();
  }
  bin_ = FindBinDir();
  if (bin_.empty()) {
    return absl::FailedPreconditionError(
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): ./oms install");
  }
  absl::StatusOr<RunAs> user = ServerUser();
  if (!user.ok()) return user.status();
  // /tmp, not $TEST_TMPDIR: the server's user must reach it, and a Unix socket path must
  // stay short.
  char pattern[] = "/tmp/oms-pg-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return absl::InternalError("mkdtemp failed");
  dir_ = pattern;
  if (user->uid != static_cast<uid_t>(-1) && chown(dir_.c_str(), user->uid, user->gid) != 0) {
    return absl::InternalError(absl::StrCat("cannot hand ", dir_, " to the postgres user"));
  }
  absl::Status initialised =
      RunToEnd({bin_ + "/initdb", "-D", dir_ + "/data", "-U", "oms", "-A", "trust", "-E", "UTF8",
                "--locale=C", "--no-sync", "--no-instructions"},
               *user, dir_ + "/initdb.log");
  if (!initialised.ok()) return initialised;
  admin_target_ = absl::StrCat("host=", dir_, " port=5432 user=oms dbname=postgres");
  return Start();
}

absl::Status PostgresServer::Start() {
  if (dir_.empty()) return absl::FailedPreconditionError("not our server");
  if (absl::Status loaded = libpq::Load(); !loaded.ok()) return loaded;
  absl::StatusOr<RunAs> user = ServerUser();
  if (!user.ok()) return user.status();
  // Durability settings off: a test server that loses everything on power loss is fine.
  pid_ = Spawn({bin_ + "/postgres",
                "-D",
                dir_ + "/data",
                "-k",
                dir_,
                "-p",
                "5432",
                "-c",
                "listen_addresses=",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=400",
                "-c",
                "max_locks_per_transaction=256",
                "-c",
                "max_pred_locks_per_transaction=256"},
               *user, /*die_with_us=*/true, dir_ + "/server.log");
  absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (PQping(admin_target_.c_str()) != PQPING_OK) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat("postgres exited at start; see ", dir_, "/server.log"));
    }
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(
          absl::StrCat("postgres did not accept connections "
                       "within 60 s; see ",
                       dir_, "/server.log"));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::OkStatus();
}

absl::Status PostgresServer::Stop() {
  if (pid_ <= 0) return absl::FailedPreconditionError("server is not running");
  kill(pid_, SIGINT);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return absl::OkStatus();
}

absl::StatusOr<std::string> PostgresServer::NewDatabase() {
  std::string name = absl::StrCat("test_", getpid(), "_", next_database_.fetch_add(1));
  absl::Status created = Exec(admin_target_, absl::StrCat("CREATE DATABASE ", name));
  if (!created.ok()) return created;
  return absl::StrCat(admin_target_, " dbname=", name);
}

}  // namespace oms::testing
