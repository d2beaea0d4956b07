#include "platform/security/shared_rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "platform/base/log.h"
#include "platform/security/call_info.h"

namespace oms {
namespace {

// Tokens are kept in thousandths, so that a fraction earned between two refills is not lost
// and neither engine needs floating point.
constexpr int64_t kMilli = 1000;
constexpr absl::Duration kHeldFor = absl::Seconds(1);

}  // namespace

SharedRateLimiter::SharedRateLimiter(Database* db, double per_second, double burst,
                                     const Clock* clock)
    : db_(db),
      per_second_(per_second),
      burst_(burst),
      batch_(std::max<int64_t>(1, static_cast<int64_t>(per_second / 10))),
      clock_(clock),
      fallback_(per_second, burst, clock) {}

const std::vector<Migration>& SharedRateLimiter::Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE rate_buckets ("
      "  principal TEXT PRIMARY KEY,"
      "  tokens_milli INTEGER NOT NULL,"
      "  refilled_us INTEGER NOT NULL);"};
  return *migrations;
}

bool SharedRateLimiter::TryTake(const std::string& key) {
  if (per_second_ <= 0) return true;
  absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  Held& held = held_[key];
  if (held.tokens > 0 && now < held.lapses_at) {
    --held.tokens;
    return true;
  }
  if (now < held.refused_until) return false;
  absl::StatusOr<int64_t> granted = TakeFromStore(key, batch_, now);
  if (!granted.ok()) {
    LogWarning("write limit of ", key,
               " checked on this replica only: ", granted.status().ToString());
    return fallback_.TryTake(key);
  }
  if (*granted == 0) {
    held.tokens = 0;
    held.refused_until = now + absl::Seconds(static_cast<double>(batch_) / per_second_);
    return false;
  }
  held.tokens = *granted - 1;
  held.lapses_at = now + kHeldFor;
  return true;
}

absl::StatusOr<int64_t> SharedRateLimiter::TakeFromStore(const std::string& key, int64_t wanted,
                                                         absl::Time now) {
  const int64_t now_us = absl::ToUnixMicros(now);
  const int64_t burst_milli = static_cast<int64_t>(std::llround(burst_ * kMilli));
  auth::CallScope not_a_change(nullptr);  // bookkeeping of the limit, not an audited change
  int64_t granted = 0;
  absl::Status status = db_->Transact([&](Session& s) -> absl::Status {
    granted = 0;
    int64_t tokens_milli = burst_milli;  // a principal's first call finds a full bucket
    int64_t refilled_us = now_us;
    absl::StatusOr<Rows> row =
        s.Query("SELECT tokens_milli, refilled_us FROM rate_buckets WHERE principal = ?", {key});
    if (!row.ok()) return row.status();
    absl::StatusOr<bool> found = row->Next();
    if (!found.ok()) return found.status();
    if (*found) {
      tokens_milli = row->Int(0);
      refilled_us = row->Int(1);
      // Another replica's clock may be ahead: time never runs backwards for the bucket.
      const int64_t elapsed_us = std::max<int64_t>(0, now_us - refilled_us);
      const double earned = static_cast<double>(elapsed_us) * per_second_ * kMilli / 1e6;
      tokens_milli =
          std::min<int64_t>(burst_milli, tokens_milli + static_cast<int64_t>(std::floor(earned)));
      refilled_us = std::max(refilled_us, now_us);
    }
    granted = std::min(wanted, tokens_milli / kMilli);
    absl::StatusOr<int64_t> written = s.Exec(
        "INSERT INTO rate_buckets(principal, tokens_milli, refilled_us) VALUES(?, ?, ?) "
        "ON CONFLICT(principal) DO UPDATE SET tokens_milli = excluded.tokens_milli, "
        "refilled_us = excluded.refilled_us",
        {key, tokens_milli - granted * kMilli, refilled_us});
    return written.status();
  });
  if (!status.ok()) return status;
  return granted;
}

}  // namespace oms
