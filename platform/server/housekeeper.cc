#include "platform/server/housekeeper.h"

#include "platform/base/log.h"
#include "platform/base/status.h"

namespace oms {

absl::Status Housekeeper::RunOnce() {
  OMS_ASSIGN_OR_RETURN(int64_t keys, host_->idempotency().Expire(options_.idempotency_ttl));
  int64_t events = 0;
  if (options_.event_retention > absl::ZeroDuration()) {
    OMS_ASSIGN_OR_RETURN(
        events, host_->outbox().PruneBefore(host_->clock().Now() - options_.event_retention));
  }
  if (keys > 0 || events > 0) {
    LogInfo("housekeeping: expired ", keys, " idempotency keys, pruned ", events, " events");
  }
  return absl::OkStatus();
}

}  // namespace oms
