#include "platform/testing/in_memory_host.h"

#include <cstdlib>
#include <iostream>

namespace oms::testing {

std::unique_ptr<ServiceHost> InMemoryHost(const std::string& name, const Clock* clock,
                                          std::vector<Migrations> migrations) {
  ServiceHostOptions options;
  options.name = name;
  options.db_path = ":memory:";
  options.clock = clock;
  options.migrations = std::move(migrations);
  // Every write runs twice, the first time rolled back: what a PostgreSQL retry does.
  options.db_options.rehearse_writes = true;
  absl::StatusOr<std::unique_ptr<ServiceHost>> host = ServiceHost::Open(options);
  if (!host.ok()) {  // a migration that does not apply: nothing in the test could run
    std::cerr << "cannot open the " << name << " test host: " << host.status() << std::endl;
    std::abort();
  }
  return std::move(*host);
}

}  // namespace oms::testing
