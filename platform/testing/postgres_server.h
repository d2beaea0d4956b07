// A private PostgreSQL server for tests, so that the store tests run on the real engine
// with nothing set up beforehand: the first test that asks starts one (initdb into a fresh
// directory under /tmp, listening only on a Unix socket there), every test gets a fresh
// database of its own, and the server goes when the test binary does.
//
// PostgreSQL refuses to run as root: as root the server runs as the `postgres` user that
// Debian's package creates. OMS_TEST_POSTGRES=<libpq target> uses a server that is already
// running instead: a key=value target whose user may CREATE DATABASE.
#ifndef OMS_PLATFORM_TESTING_POSTGRES_SERVER_H_
#define OMS_PLATFORM_TESTING_POSTGRES_SERVER_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"

namespace oms::testing {

class PostgresServer {
 public:
  // The process's server, started on first use; an error says why it could not start.
  static absl::StatusOr<PostgresServer*> Get();

  // Creates an empty database and answers a libpq target for it.
  absl::StatusOr<std::string> NewDatabase();
  // A target for the server's maintenance database.
  const std::string& admin_target() const { return admin_target_; }
  // Stops the server (SIGINT: fast shutdown) and starts it again on the same directory,
  // for tests of what happens when the store's server goes away. Own servers only.
  absl::Status Stop();
  absl::Status Start();

 private:
  PostgresServer() = default;
  absl::Status Init();

  std::string dir_;  // empty when OMS_TEST_POSTGRES names the server
  std::string bin_;
  std::string admin_target_;
  int pid_ = -1;
  std::atomic<int> next_database_{0};
};

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_POSTGRES_SERVER_H_
