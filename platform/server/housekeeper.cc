#include "platform/server/housekeeper.h"

#include "platform/base/log.h"
#include "platform/base/status.h"

namespace oms {

absl::Status Housekeeper::RunOnce() {
  OMS_ASSIGN_OR_RETURN(int64_t keys, host_->idempotency().Expire(options_.idempotency_ttl));
  int64_t events = 0;
  if (options_.event_retention > absl::ZeroDuration()) {
    const absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(events, host_->outbox().PruneBefore(now - options_.event_retention,
                                                             now - options_.feed_reader_horizon));
  }
  if (keys > 0 || events > 0) {
    LogInfo("housekeeping: expired ", keys, " idempotency keys, pruned ", events, " events");
  }
  return absl::OkStatus();
}

}  // namespace oms
