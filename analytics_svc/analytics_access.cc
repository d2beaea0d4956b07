#include "analytics_svc/analytics_access.h"

namespace oms::analytics {
namespace {

using namespace auth::access_table;  // NOLINT(build/namespaces): the table's vocabulary

const std::vector<Role> kReportReaders = {OPS, READER};

}  // namespace

const auth::AccessPolicy& AnalyticsAccess() {
  static const auth::AccessPolicy* policy =
      new auth::AccessPolicy("oms.analytics.v1.AnalyticsService",
                             {
                                 // Reports are for readers and OPS; a rebuild is an operation.
                                 {"GetOrderStats", Access::kRead, kReportReaders},
                                 {"GetStageDurations", Access::kRead, kReportReaders},
                                 {"GetExceptionStats", Access::kRead, kReportReaders},
                                 {"GetSalesReport", Access::kRead, kReportReaders},
                                 {"GetCarrierPerformance", Access::kRead, kReportReaders},
                                 {"GetInventoryHealth", Access::kRead, kReportReaders},
                                 {"GetCustomerSegments", Access::kRead, kReportReaders},
                                 {"GetNotificationStats", Access::kRead, kReportReaders},
                                 {"GetPromiseAccuracy", Access::kRead, kReportReaders},
                                 {"GetSatisfaction", Access::kRead, kReportReaders},
                                 {"ExportReport", Access::kRead, kReportReaders},
                                 {"RebuildFacts", Access::kWrite, {OPS}},
                                 {"GetServiceInfo", Access::kRead, AnyRole()},
                             });
  return *policy;
}

const auth::AccessPolicy& AnomalyAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.analytics.v1.AnomalyService",
      {
          // The orchestrator's review (SERVICE) scores orders; OPS runs and tunes detection;
          // reviewers and customer care see detections and dismiss false alarms.
          {"ScoreOrder", Access::kWrite, {SERVICE, OPS}},
          {"RefitBaselines", Access::kWrite, {OPS}},
          {"DetectAnomalies", Access::kWrite, {OPS}},
          {"ListAnomalies", Access::kRead, {OPS, REVIEWER, CUSTOMER_SERVICE, READER}},
          {"ListBaselines", Access::kRead, kReportReaders},
          {"DismissAnomaly", Access::kWrite, {OPS, REVIEWER}},
      });
  return *policy;
}

}  // namespace oms::analytics
