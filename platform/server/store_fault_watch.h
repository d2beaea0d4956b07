#ifndef OMS_PLATFORM_SERVER_STORE_FAULT_WATCH_H_
#define OMS_PLATFORM_SERVER_STORE_FAULT_WATCH_H_

// What a service does when its store faults for good (an fsync of the WAL failed,
// wal_sync.h): every call of the store fails from then on, so health turns NOT_SERVING at
// once and the process is asked to drain and exit with status 1. A supervisor then starts it
// again (systemd's Restart=on-failure, a Kubernetes liveness probe, `./oms up`) and SQLite's
// recovery keeps only what reached the disk, as PostgreSQL does by crashing on a failed fsync.

#include <atomic>
#include <functional>
#include <memory>

#include "platform/server/health_service.h"
#include "platform/storage/database.h"

namespace oms {

class StoreFaultWatch {
 public:
  // `stop` asks the process to drain and exit (service_main: SIGTERM to itself). `health`
  // must outlive the store; the watch itself may go first.
  StoreFaultWatch(Database& db, HealthService& health, std::function<void()> stop);

  // Whether the store faulted: the exit status is then 1.
  bool faulted() const { return state_->faulted.load(std::memory_order_acquire); }

 private:
  struct State {
    std::atomic<bool> faulted{false};
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_STORE_FAULT_WATCH_H_
