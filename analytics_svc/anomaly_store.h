// Detections, fitted baselines and false alarms (tables of facts migration 6). Anomalies and
// dismissals are decisions and survive RebuildFacts; baselines are refitted from the facts.
#ifndef OMS_ANALYTICS_SVC_ANOMALY_STORE_H_
#define OMS_ANALYTICS_SVC_ANOMALY_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oms/analytics/v1/anomalies.pb.h"
#include "platform/storage/database.h"

namespace oms::analytics::anomaly_store {

absl::Status Insert(Session& s, const v1::Anomaly& anomaly);
absl::Status Update(Session& s, const v1::Anomaly& anomaly);
absl::StatusOr<std::optional<v1::Anomaly>> Find(Session& s, const std::string& anomaly_id);
// The open detection of one metric and subject, if any (detections repeat, records do not).
absl::StatusOr<std::optional<v1::Anomaly>> FindOpen(Session& s, const std::string& metric,
                                                    const std::string& dimension,
                                                    const std::string& subject);
absl::StatusOr<std::vector<v1::Anomaly>> OfOrder(Session& s, const std::string& order_id);
// Newest first.
absl::StatusOr<std::vector<v1::Anomaly>> List(Session& s, const v1::ListAnomaliesRequest& request);
// Open PROCESS and SALES detections whose ticket is not opened yet.
absl::StatusOr<std::vector<v1::Anomaly>> WithoutTicket(Session& s);
absl::StatusOr<int64_t> CountOpen(Session& s);

// Marks `anomaly` a false alarm by `by` (unless it already is one) and widens its baseline.
absl::Status MarkDismissed(Session& s, v1::Anomaly& anomaly, const std::string& by,
                           const std::string& reason, int64_t at_us);

// Replaces every fitted baseline with `baselines`.
absl::Status ReplaceBaselines(Session& s, const std::vector<v1::Baseline>& baselines);
absl::StatusOr<std::vector<v1::Baseline>> Baselines(Session& s, const std::string& metric);

// False alarms recorded against a metric and subject; each widens its baseline.
absl::StatusOr<int> Dismissals(Session& s, const std::string& metric, const std::string& dimension,
                               const std::string& subject);
absl::Status AddDismissal(Session& s, const std::string& metric, const std::string& dimension,
                          const std::string& subject);

}  // namespace oms::analytics::anomaly_store

#endif  // OMS_ANALYTICS_SVC_ANOMALY_STORE_H_
