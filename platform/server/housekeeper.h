#ifndef OMS_PLATFORM_SERVER_HOUSEKEEPER_H_
#define OMS_PLATFORM_SERVER_HOUSEKEEPER_H_

// The platform's own sweeps in every service: expired idempotency keys and outbox retention.

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/base/periodic_task.h"
#include "platform/server/service_host.h"

namespace oms {

struct HousekeeperOptions {
  // Idempotency keys older than this are forgotten (a retry after that runs again).
  absl::Duration idempotency_ttl = absl::Hours(24 * 7);
  // Outbox events older than this are deleted; zero keeps them forever. A consumer further
  // behind than this stops with DATA_LOSS instead of silently skipping.
  absl::Duration event_retention = absl::ZeroDuration();
  // Readers of the feed seen within this long hold retention back: events they have not
  // read stay, whatever their age. A reader gone longer no longer counts.
  absl::Duration feed_reader_horizon = absl::Hours(24 * 7);
  absl::Duration interval = absl::Minutes(10);
};

// Keeps a service's store from growing without bound: expires idempotency keys and prunes
// the outbox by age, using the host's clock. RunOnce() for tests and on demand; Start() runs
// it every `interval` in a background thread until Stop(). Thread-safe.
class Housekeeper : public Background {
 public:
  Housekeeper(ServiceHost* host, HousekeeperOptions options)
      : host_(host),
        options_(options),
        task_("housekeeping", options.interval, [this] { return RunOnce(); }) {}

  absl::Status RunOnce();
  void Start() override { task_.Start(); }
  void Stop() override { task_.Stop(); }
  std::string name() const override { return task_.name(); }

 private:
  ServiceHost* host_;
  const HousekeeperOptions options_;
  PeriodicTask task_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_HOUSEKEEPER_H_
