#ifndef OMS_ANALYTICS_SVC_ANOMALY_SERVICE_H_
#define OMS_ANALYTICS_SVC_ANOMALY_SERVICE_H_

#include "absl/status/statusor.h"
#include "analytics_svc/anomaly_detector.h"
#include "analytics_svc/anomaly_tickets.h"
#include "oms/analytics/v1/anomalies.grpc.pb.h"

namespace oms::analytics {

// gRPC adapter of oms.analytics.v1.AnomalyService, and the round the schedule runs
// (RunRound): refit when due, detect, open tickets for new detections. Thread-safe.
class AnomalyService final : public v1::AnomalyService::Service {
 public:
  // `tickets` may be null (no orchestrator_svc): detections are recorded without tickets.
  AnomalyService(ServiceHost* host, DetectionOptions options, AnomalyTickets* tickets,
                 absl::Duration refit_every)
      : detector_(host, std::move(options)), tickets_(tickets), refit_every_(refit_every) {}

  // One scheduled round: refit if the baselines are older than `refit_every`, detect, and
  // open the tickets of open detections that have none yet.
  absl::Status RunRound();
  // Opens the missing tickets; answers how many were opened.
  absl::StatusOr<int> OpenTickets();

  grpc::Status ScoreOrder(grpc::ServerContext*, const v1::ScoreOrderRequest* request,
                          v1::ScoreOrderResponse* response) override;
  grpc::Status RefitBaselines(grpc::ServerContext*, const v1::RefitBaselinesRequest* request,
                              v1::RefitBaselinesResponse* response) override;
  grpc::Status DetectAnomalies(grpc::ServerContext*, const v1::DetectAnomaliesRequest* request,
                               v1::DetectAnomaliesResponse* response) override;
  grpc::Status ListAnomalies(grpc::ServerContext*, const v1::ListAnomaliesRequest* request,
                             v1::ListAnomaliesResponse* response) override;
  grpc::Status ListBaselines(grpc::ServerContext*, const v1::ListBaselinesRequest* request,
                             v1::ListBaselinesResponse* response) override;
  grpc::Status DismissAnomaly(grpc::ServerContext*, const v1::DismissAnomalyRequest* request,
                              v1::Anomaly* response) override;

 private:
  absl::StatusOr<v1::DetectAnomaliesResponse> DetectAndOpen();
  absl::StatusOr<v1::Anomaly> DismissAndClose(const v1::DismissAnomalyRequest& request);

  AnomalyDetector detector_;
  AnomalyTickets* tickets_;
  absl::Duration refit_every_;
  absl::Mutex mu_;
  absl::Time last_refit_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANOMALY_SERVICE_H_
