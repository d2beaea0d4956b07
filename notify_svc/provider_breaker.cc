#include "notify_svc/provider_breaker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/log.h"

namespace oms::notify {

ProviderBreaker::State ProviderBreaker::StateOf(const std::string& endpoint, absl::Time now) const {
  absl::MutexLock lock(&mu_);
  auto it = down_.find(endpoint);
  if (it == down_.end()) return State::kClosed;
  return now < it->second.until ? State::kPaused : State::kProbing;
}

bool ProviderBreaker::MaySend(const std::string& endpoint, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = down_.find(endpoint);
  if (it == down_.end()) return true;
  Down& down = it->second;
  if (now < down.until || down.probing) return false;
  down.probing = true;
  return true;
}

void ProviderBreaker::Reached(const std::string& endpoint, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = down_.find(endpoint);
  if (it == down_.end()) return;
  LogInfo("delivery endpoint ", endpoint, " reachable again after ",
          absl::FormatDuration(absl::Trunc(now - it->second.since, absl::Seconds(1))),
          "; its waiting messages are sent");
  down_.erase(it);
}

void ProviderBreaker::Unreachable(const std::string& endpoint, const std::string& error,
                                  absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto [it, first] = down_.try_emplace(endpoint);
  Down& down = it->second;
  if (first) {
    down.since = now;
    down.pause = options_.first_pause;
    LogWarning("delivery endpoint ", endpoint, " unreachable (", error,
               "): its messages wait without being attempted; tried again in ",
               absl::FormatDuration(down.pause));
  } else if (down.probing) {
    down.pause = std::min(down.pause * 2, options_.max_pause);  // the probe failed too
  } else if (now < down.until) {
    return;  // another send that was already under way when it went down
  }
  down.probing = false;
  down.until = now + down.pause;
  down.error = error;
}

absl::Time ProviderBreaker::ResumeAt(const std::string& endpoint, absl::Time now) const {
  absl::MutexLock lock(&mu_);
  auto it = down_.find(endpoint);
  if (it == down_.end()) return now;
  if (now < it->second.until) return it->second.until;
  return now + options_.first_pause;  // a probe is out: its outcome decides
}

std::string ProviderBreaker::Why(const std::string& endpoint) const {
  absl::MutexLock lock(&mu_);
  auto it = down_.find(endpoint);
  if (it == down_.end()) return "";
  return absl::StrCat(endpoint, " unreachable since ",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", it->second.since, absl::UTCTimeZone()),
                      ": ", it->second.error);
}

std::string EndpointOfUrl(const std::string& url) {
  size_t scheme_end = url.find("://");
  size_t host_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  size_t host_end = url.find_first_of("/?#", host_start);
  return host_end == std::string::npos ? url : url.substr(0, host_end);
}

}  // namespace oms::notify
