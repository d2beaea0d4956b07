#ifndef OMS_PLATFORM_TESTING_IN_MEMORY_HOST_H_
#define OMS_PLATFORM_TESTING_IN_MEMORY_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "platform/base/clock.h"
#include "platform/server/service_host.h"

namespace oms::testing {

// A service host on a private in-memory store, with `clock` (a FakeClock in tests) and the
// service's own `migrations` applied (the platform's are added by the host). For
// in-process service tests.
std::unique_ptr<ServiceHost> InMemoryHost(const std::string& name, const Clock* clock,
                                          std::vector<Migrations> migrations = {});

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_IN_MEMORY_HOST_H_
