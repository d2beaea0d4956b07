#include "analytics_svc/anomaly_service.h"

#include "analytics_svc/anomaly_store.h"
#include "platform/base/grpc_status.h"
#include "platform/base/log.h"
#include "platform/base/status.h"
#include "platform/security/request_limits.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {

absl::Status AnomalyService::RunRound() {
  absl::Time now = detector_.host().clock().Now();
  bool refit = false;
  {
    absl::MutexLock lock(&mu_);
    refit = now - last_refit_ >= refit_every_;
  }
  if (refit) {
    OMS_RETURN_IF_ERROR(detector_.Refit().status());
    absl::MutexLock lock(&mu_);
    last_refit_ = now;
  }
  return DetectAndOpen().status();
}

absl::StatusOr<int> AnomalyService::OpenTickets() {
  if (tickets_ == nullptr) return 0;
  std::vector<v1::Anomaly> waiting;
  OMS_RETURN_IF_ERROR(detector_.host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(waiting, anomaly_store::WithoutTicket(s));
    return absl::OkStatus();
  }));
  int opened = 0;
  for (v1::Anomaly& a : waiting) {
    absl::StatusOr<std::string> ticket = tickets_->Open(a);
    if (!ticket.ok()) {  // tried again next round
      LogWarning("anomaly ", a.anomaly_id(), ": no ticket yet: ", ticket.status().ToString());
      continue;
    }
    OMS_RETURN_IF_ERROR(detector_.host().db().Transact([&](Session& s) -> absl::Status {
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Anomaly> now, anomaly_store::Find(s, a.anomaly_id()));
      if (!now.has_value()) return absl::OkStatus();
      now->set_ticket_id(*ticket);
      a = *now;
      return anomaly_store::Update(s, *now);
    }));
    ++opened;
  }
  return opened;
}

absl::StatusOr<v1::DetectAnomaliesResponse> AnomalyService::DetectAndOpen() {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Anomaly> found, detector_.Detect());
  OMS_RETURN_IF_ERROR(OpenTickets().status());
  v1::DetectAnomaliesResponse response;
  OMS_RETURN_IF_ERROR(detector_.host().db().Read([&](Session& s) -> absl::Status {
    for (const v1::Anomaly& f : found) {  // as stored now, with its ticket
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Anomaly> a, anomaly_store::Find(s, f.anomaly_id()));
      *response.add_found() = a.has_value() ? *a : f;
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Anomaly> AnomalyService::DismissAndClose(
    const v1::DismissAnomalyRequest& request) {
  OMS_ASSIGN_OR_RETURN(v1::Anomaly dismissed, detector_.Dismiss(request));
  if (tickets_ != nullptr && !dismissed.ticket_id().empty()) {
    // The dismissal stands either way; a ticket left open is closed by people.
    absl::Status closed = tickets_->CloseAsFalseAlarm(dismissed);
    if (!closed.ok()) {
      LogWarning("anomaly ", dismissed.anomaly_id(), ": ticket ", dismissed.ticket_id(),
                 " not resolved: ", closed.ToString());
    }
  }
  return dismissed;
}

grpc::Status AnomalyService::ScoreOrder(grpc::ServerContext*, const v1::ScoreOrderRequest* request,
                                        v1::ScoreOrderResponse* response) {
  return Serve(*request, response, [&] { return detector_.ScoreOrder(*request); });
}

grpc::Status AnomalyService::RefitBaselines(grpc::ServerContext*,
                                            const v1::RefitBaselinesRequest* request,
                                            v1::RefitBaselinesResponse* response) {
  return Serve(*request, response, [&]() -> absl::StatusOr<v1::RefitBaselinesResponse> {
    OMS_ASSIGN_OR_RETURN(v1::RefitBaselinesResponse fitted, detector_.Refit());
    absl::MutexLock lock(&mu_);
    last_refit_ = FromProtoTime(fitted.fitted_at());
    return fitted;
  });
}

grpc::Status AnomalyService::DetectAnomalies(grpc::ServerContext*,
                                             const v1::DetectAnomaliesRequest* request,
                                             v1::DetectAnomaliesResponse* response) {
  return Serve(*request, response, [&] { return DetectAndOpen(); });
}

grpc::Status AnomalyService::ListAnomalies(grpc::ServerContext*,
                                           const v1::ListAnomaliesRequest* request,
                                           v1::ListAnomaliesResponse* response) {
  return Serve(*request, response, [&] { return detector_.List(*request); });
}

grpc::Status AnomalyService::ListBaselines(grpc::ServerContext*,
                                           const v1::ListBaselinesRequest* request,
                                           v1::ListBaselinesResponse* response) {
  return Serve(*request, response, [&] { return detector_.ListBaselines(*request); });
}

grpc::Status AnomalyService::DismissAnomaly(grpc::ServerContext*,
                                            const v1::DismissAnomalyRequest* request,
                                            v1::Anomaly* response) {
  return Serve(*request, response, [&] { return DismissAndClose(*request); });
}

}  // namespace oms::analytics
