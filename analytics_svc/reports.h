#ifndef OMS_ANALYTICS_SVC_REPORTS_H_
#define OMS_ANALYTICS_SVC_REPORTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analytics_svc/reports_store.h"
#include "oms/analytics/v1/analytics.pb.h"
#include "platform/server/service_host.h"

namespace oms::analytics {

// A report's range as microseconds: unset from is the beginning, unset to is now.
reports_store::TimeSpan SpanOf(const v1::TimeRange& range, absl::Time now);

// The reports, computed from the fact tables in one read transaction each. Thread-safe.
class Reports {
 public:
  explicit Reports(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::GetOrderStatsResponse> OrderStats(const v1::GetOrderStatsRequest& request);
  absl::StatusOr<v1::GetStageDurationsResponse> StageDurations(
      const v1::GetStageDurationsRequest& request);
  absl::StatusOr<v1::GetExceptionStatsResponse> ExceptionStats(
      const v1::GetExceptionStatsRequest& request);
  absl::StatusOr<v1::GetSalesReportResponse> Sales(const v1::GetSalesReportRequest& request);
  absl::StatusOr<v1::GetCarrierPerformanceResponse> CarrierPerformance(
      const v1::GetCarrierPerformanceRequest& request);
  absl::StatusOr<v1::GetInventoryHealthResponse> InventoryHealth(
      const v1::GetInventoryHealthRequest& request);
  absl::StatusOr<v1::GetCustomerSegmentsResponse> CustomerSegments(
      const v1::GetCustomerSegmentsRequest& request);
  absl::StatusOr<v1::GetNotificationStatsResponse> NotificationStats(
      const v1::GetNotificationStatsRequest& request);
  // In satisfaction_report.cc.
  absl::StatusOr<v1::GetSatisfactionResponse> Satisfaction(
      const v1::GetSatisfactionRequest& request);
  // In promise_accuracy.cc.
  absl::StatusOr<v1::GetPromiseAccuracyResponse> PromiseAccuracy(
      const v1::GetPromiseAccuracyRequest& request);

  // Anomaly detections not yet dismissed (anomaly_store.h).
  absl::StatusOr<int64_t> OpenAnomalies();

  // The report as CSV records: a header row, then one row per line of the report.
  absl::StatusOr<std::vector<std::string>> Csv(const v1::ExportReportRequest& request);

 private:
  ServiceHost* host_;
};

// Nearest-rank percentile of sorted values (p in 0..100); 0 for none.
double Percentile(const std::vector<double>& sorted, double p);

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_REPORTS_H_
