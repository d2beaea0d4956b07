// Where detections become work for people: a PROCESS_ANOMALY ticket in orchestrator_svc
// (routed and notified like every exception), resolved when the detection is dismissed.
#ifndef OMS_ANALYTICS_SVC_ANOMALY_TICKETS_H_
#define OMS_ANALYTICS_SVC_ANOMALY_TICKETS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/analytics/v1/anomalies.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"

namespace oms::analytics {

class AnomalyTickets {
 public:
  virtual ~AnomalyTickets() = default;
  // The ticket's id; the anomaly id is the idempotency key, so a retry opens no second one.
  virtual absl::StatusOr<std::string> Open(const v1::Anomaly& anomaly) = 0;
  // Resolves the anomaly's ticket with NO_ACTION, noting the dismissal.
  virtual absl::Status CloseAsFalseAlarm(const v1::Anomaly& anomaly) = 0;
};

// Over orchestrator_svc's generated stub.
class GrpcAnomalyTickets : public AnomalyTickets {
 public:
  GrpcAnomalyTickets(orchestrator::v1::OrchestratorService::StubInterface* stub,
                     absl::Duration deadline)
      : stub_(stub), deadline_(deadline) {}

  absl::StatusOr<std::string> Open(const v1::Anomaly& anomaly) override;
  absl::Status CloseAsFalseAlarm(const v1::Anomaly& anomaly) override;

 private:
  orchestrator::v1::OrchestratorService::StubInterface* stub_;
  absl::Duration deadline_;
};

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANOMALY_TICKETS_H_
