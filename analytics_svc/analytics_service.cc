#include "analytics_svc/analytics_service.h"

#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/request_limits.h"
#include "platform/server/service_info.h"

namespace oms::analytics {

grpc::Status AnalyticsService::GetOrderStats(grpc::ServerContext*,
                                             const v1::GetOrderStatsRequest* request,
                                             v1::GetOrderStatsResponse* response) {
  return Serve(*request, response, [&] { return reports_.OrderStats(*request); });
}

grpc::Status AnalyticsService::GetStageDurations(grpc::ServerContext*,
                                                 const v1::GetStageDurationsRequest* request,
                                                 v1::GetStageDurationsResponse* response) {
  return Serve(*request, response, [&] { return reports_.StageDurations(*request); });
}

grpc::Status AnalyticsService::GetExceptionStats(grpc::ServerContext*,
                                                 const v1::GetExceptionStatsRequest* request,
                                                 v1::GetExceptionStatsResponse* response) {
  return Serve(*request, response, [&] { return reports_.ExceptionStats(*request); });
}

grpc::Status AnalyticsService::GetSalesReport(grpc::ServerContext*,
                                              const v1::GetSalesReportRequest* request,
                                              v1::GetSalesReportResponse* response) {
  return Serve(*request, response, [&] { return reports_.Sales(*request); });
}

grpc::Status AnalyticsService::GetCarrierPerformance(
    grpc::ServerContext*, const v1::GetCarrierPerformanceRequest* request,
    v1::GetCarrierPerformanceResponse* response) {
  return Serve(*request, response, [&] { return reports_.CarrierPerformance(*request); });
}

grpc::Status AnalyticsService::GetInventoryHealth(grpc::ServerContext*,
                                                  const v1::GetInventoryHealthRequest* request,
                                                  v1::GetInventoryHealthResponse* response) {
  return Serve(*request, response, [&] { return reports_.InventoryHealth(*request); });
}

grpc::Status AnalyticsService::GetCustomerSegments(grpc::ServerContext*,
                                                   const v1::GetCustomerSegmentsRequest* request,
                                                   v1::GetCustomerSegmentsResponse* response) {
  return Serve(*request, response, [&] { return reports_.CustomerSegments(*request); });
}

grpc::Status AnalyticsService::GetSatisfaction(grpc::ServerContext*,
                                               const v1::GetSatisfactionRequest* request,
                                               v1::GetSatisfactionResponse* response) {
  return Serve(*request, response, [&] { return reports_.Satisfaction(*request); });
}

grpc::Status AnalyticsService::GetPromiseAccuracy(grpc::ServerContext*,
                                                  const v1::GetPromiseAccuracyRequest* request,
                                                  v1::GetPromiseAccuracyResponse* response) {
  return Serve(*request, response, [&] { return reports_.PromiseAccuracy(*request); });
}

grpc::Status AnalyticsService::GetNotificationStats(grpc::ServerContext*,
                                                    const v1::GetNotificationStatsRequest* request,
                                                    v1::GetNotificationStatsResponse* response) {
  return Serve(*request, response, [&] { return reports_.NotificationStats(*request); });
}

grpc::Status AnalyticsService::ExportReport(grpc::ServerContext*,
                                            const v1::ExportReportRequest* request,
                                            grpc::ServerWriter<v1::CsvChunk>* writer) {
  if (absl::Status limits = CheckRequestLimits(*request); !limits.ok()) return ToGrpcStatus(limits);
  absl::StatusOr<std::vector<std::string>> records = reports_.Csv(*request);
  if (!records.ok()) return ToGrpcStatus(records.status());
  // Chunks of about 64 KiB, split only between records.
  v1::CsvChunk chunk;
  for (const std::string& record : *records) {
    chunk.mutable_data()->append(record);
    if (chunk.data().size() >= 64 * 1024) {
      if (!writer->Write(chunk)) return grpc::Status::OK;
      chunk.clear_data();
    }
  }
  if (!chunk.data().empty()) writer->Write(chunk);
  return grpc::Status::OK;
}

grpc::Status AnalyticsService::RebuildFacts(grpc::ServerContext*, const v1::RebuildFactsRequest*,
                                            v1::RebuildFactsResponse* response) {
  absl::StatusOr<int64_t> events = rebuild_();
  if (!events.ok()) return ToGrpcStatus(events.status());
  response->set_events(*events);
  return grpc::Status::OK;
}

grpc::Status AnalyticsService::GetServiceInfo(grpc::ServerContext*,
                                              const common::v1::GetServiceInfoRequest*,
                                              common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::analytics
