#ifndef OMS_ANALYTICS_SVC_ANOMALY_DETECTOR_H_
#define OMS_ANALYTICS_SVC_ANOMALY_DETECTOR_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "analytics_svc/anomaly_checks.h"
#include "oms/analytics/v1/anomalies.pb.h"
#include "platform/server/service_host.h"

namespace oms::analytics {

struct DetectionOptions {
  AnomalyOptions checks;
  absl::Duration window = absl::Hours(1);         // what "now" is compared over
  absl::Duration history = absl::Hours(24 * 28);  // what baselines are fitted on
};

// Learns baselines from the facts and finds what departs from them; every finding is
// recorded with its explanation in the store's anomalies table. Thread-safe.
class AnomalyDetector {
 public:
  AnomalyDetector(ServiceHost* host, DetectionOptions options)
      : host_(host), options_(std::move(options)) {}

  // Refits every baseline from the history before the current window.
  absl::StatusOr<v1::RefitBaselinesResponse> Refit();
  // Process and sales detectors over the window ending now (hourly counts: the last whole
  // hour); answers the new findings (an open one is not found again).
  absl::StatusOr<std::vector<v1::Anomaly>> Detect();
  // In order_scoring.cc. One order against its customer's own history and its skus' fitted
  // line quantities; findings are recorded once per order (a second call answers them).
  absl::StatusOr<v1::ScoreOrderResponse> ScoreOrder(const v1::ScoreOrderRequest& request);
  // Records a false alarm (who, why) and widens its baseline; idempotent by key and state.
  absl::StatusOr<v1::Anomaly> Dismiss(const v1::DismissAnomalyRequest& request);

  absl::StatusOr<v1::ListAnomaliesResponse> List(const v1::ListAnomaliesRequest& request);
  absl::StatusOr<v1::ListBaselinesResponse> ListBaselines(const v1::ListBaselinesRequest& request);

  ServiceHost& host() { return *host_; }

 private:
  // Fills id, kind, subject, window and times of a finding and records it, unless one is open
  // for the same metric and subject. Answers whether it was recorded.
  absl::StatusOr<bool> Record(Session& s, v1::Anomaly& finding, absl::Time window_start,
                              absl::Time window_end);

  ServiceHost* host_;
  DetectionOptions options_;
};

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANOMALY_DETECTOR_H_
