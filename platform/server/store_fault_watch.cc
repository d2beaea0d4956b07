#include "platform/server/store_fault_watch.h"

#include <utility>

#include "platform/base/log.h"

namespace oms {

StoreFaultWatch::StoreFaultWatch(Database& db, HealthService& health, std::function<void()> stop) {
  // The listener keeps the state alive, so the watch may be destroyed before the store.
  db.SetFaultListener([state = state_, &health, stop = std::move(stop)](const absl::Status& fault) {
    LogError("the store failed; NOT_SERVING, draining and exiting with status 1 for a restart: ",
             fault.ToString());
    health.Fail();
    state->faulted.store(true, std::memory_order_release);
    stop();
  });
}

}  // namespace oms
