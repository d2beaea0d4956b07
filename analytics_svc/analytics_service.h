#ifndef OMS_ANALYTICS_SVC_ANALYTICS_SERVICE_H_
#define OMS_ANALYTICS_SVC_ANALYTICS_SERVICE_H_

#include <functional>

#include "analytics_svc/reports.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "platform/server/service_host.h"

namespace oms::analytics {

// gRPC adapter of oms.analytics.v1.AnalyticsService. `rebuild` clears the facts and replays
// every feed (the binary wires its feed consumers in). Thread-safe.
class AnalyticsService final : public v1::AnalyticsService::Service {
 public:
  using Rebuild = std::function<absl::StatusOr<int64_t>()>;
  AnalyticsService(ServiceHost* host, Rebuild rebuild)
      : host_(host), reports_(host), rebuild_(std::move(rebuild)) {}

  Reports& reports() { return reports_; }

  grpc::Status GetOrderStats(grpc::ServerContext*, const v1::GetOrderStatsRequest* request,
                             v1::GetOrderStatsResponse* response) override;
  grpc::Status GetStageDurations(grpc::ServerContext*, const v1::GetStageDurationsRequest* request,
                                 v1::GetStageDurationsResponse* response) override;
  grpc::Status GetExceptionStats(grpc::ServerContext*, const v1::GetExceptionStatsRequest* request,
                                 v1::GetExceptionStatsResponse* response) override;
  grpc::Status GetSalesReport(grpc::ServerContext*, const v1::GetSalesReportRequest* request,
                              v1::GetSalesReportResponse* response) override;
  grpc::Status GetCarrierPerformance(grpc::ServerContext*,
                                     const v1::GetCarrierPerformanceRequest* request,
                                     v1::GetCarrierPerformanceResponse* response) override;
  grpc::Status GetInventoryHealth(grpc::ServerContext*,
                                  const v1::GetInventoryHealthRequest* request,
                                  v1::GetInventoryHealthResponse* response) override;
  grpc::Status GetCustomerSegments(grpc::ServerContext*,
                                   const v1::GetCustomerSegmentsRequest* request,
                                   v1::GetCustomerSegmentsResponse* response) override;
  grpc::Status GetSatisfaction(grpc::ServerContext*, const v1::GetSatisfactionRequest* request,
                               v1::GetSatisfactionResponse* response) override;
  grpc::Status GetPromiseAccuracy(grpc::ServerContext*,
                                  const v1::GetPromiseAccuracyRequest* request,
                                  v1::GetPromiseAccuracyResponse* response) override;
  grpc::Status GetNotificationStats(grpc::ServerContext*,
                                    const v1::GetNotificationStatsRequest* request,
                                    v1::GetNotificationStatsResponse* response) override;
  grpc::Status ExportReport(grpc::ServerContext*, const v1::ExportReportRequest* request,
                            grpc::ServerWriter<v1::CsvChunk>* writer) override;
  grpc::Status RebuildFacts(grpc::ServerContext*, const v1::RebuildFactsRequest*,
                            v1::RebuildFactsResponse* response) override;
  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override;

 private:
  ServiceHost* host_;
  Reports reports_;
  Rebuild rebuild_;
};

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANALYTICS_SERVICE_H_
