// Which delivery endpoints are down. A mail server, SMS provider or webhook host that cannot
// be reached (connection refused, no such host, no connection before the timeout) is paused:
// its messages wait without being attempted, so a dead provider costs no connection attempt
// per message and uses up none of their attempts. When the pause ends one message probes it;
// a probe that fails doubles the pause (up to a limit), one that gets through closes it.
// Only endpoints that are down are kept. Thread-safe.
#ifndef OMS_NOTIFY_SVC_PROVIDER_BREAKER_H_
#define OMS_NOTIFY_SVC_PROVIDER_BREAKER_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace oms::notify {

struct BreakerOptions {
  absl::Duration first_pause = absl::Seconds(5);
  absl::Duration max_pause = absl::Minutes(5);
};

class ProviderBreaker {
 public:
  enum class State {
    kClosed,   // reachable as far as we know: send
    kPaused,   // down, its pause not over: do not try
    kProbing,  // down, its pause over: one message may try it (MaySend grants that once)
  };

  explicit ProviderBreaker(BreakerOptions options = {}) : options_(options) {}

  State StateOf(const std::string& endpoint, absl::Time now) const;
  // Whether a message may be sent to `endpoint` now: yes when it is closed; when its pause
  // is over, yes to the first caller only (the probe) until that probe's outcome is known.
  bool MaySend(const std::string& endpoint, absl::Time now);
  // The outcome of a send MaySend allowed.
  void Reached(const std::string& endpoint, absl::Time now);
  void Unreachable(const std::string& endpoint, const std::string& error, absl::Time now);
  // When a message held back from `endpoint` should next be tried: the end of its pause, or
  // one first pause from now while a probe is out; `now` when it is closed.
  absl::Time ResumeAt(const std::string& endpoint, absl::Time now) const;
  // Why it is paused ("unreachable since ...: <error>"), or "" when it is closed.
  std::string Why(const std::string& endpoint) const;

 private:
  struct Down {
    absl::Time since;
    absl::Time until;  // end of the current pause
    absl::Duration pause;
    std::string error;
    bool probing = false;
  };

  const BreakerOptions options_;
  mutable absl::Mutex mu_;
  std::map<std::string, Down> down_ ABSL_GUARDED_BY(mu_);
};

// The endpoint a webhook or HTTP address belongs to: scheme, host and port
// ("https://hooks.example:8443"), so the paths of one host share its state.
std::string EndpointOfUrl(const std::string& url);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_PROVIDER_BREAKER_H_
