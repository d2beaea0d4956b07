#include "analytics_svc/anomaly_tickets.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/security/peer_call.h"

namespace oms::analytics {
namespace {

using Stub = orchestrator::v1::OrchestratorService::StubInterface;

}  // namespace

absl::StatusOr<std::string> GrpcAnomalyTickets::Open(const v1::Anomaly& anomaly) {
  orchestrator::v1::OpenExceptionRequest request;
  request.set_idempotency_key(absl::StrCat("anomaly/", anomaly.anomaly_id()));
  request.set_type(orchestrator::v1::PROCESS_ANOMALY);
  request.set_subject(
      absl::StrCat(anomaly.metric(), " ", anomaly.dimension(), " ", anomaly.subject()));
  request.set_anomaly_id(anomaly.anomaly_id());
  request.set_description(anomaly.explanation());
  request.set_actor("analytics_svc");
  OMS_ASSIGN_OR_RETURN(orchestrator::v1::ExceptionTicket ticket,
                       PeerCall(stub_, &Stub::OpenException, request, deadline_));
  return ticket.ticket_id();
}

absl::Status GrpcAnomalyTickets::CloseAsFalseAlarm(const v1::Anomaly& anomaly) {
  orchestrator::v1::ResolveExceptionRequest request;
  request.set_idempotency_key(absl::StrCat("anomaly-dismissed/", anomaly.anomaly_id()));
  request.set_ticket_id(anomaly.ticket_id());
  request.set_resolution(orchestrator::v1::NO_ACTION);
  request.set_actor(anomaly.dismissed_by());
  request.set_note(absl::StrCat("false alarm: ", anomaly.dismiss_reason()));
  return PeerCall(stub_, &Stub::ResolveException, request, deadline_).status();
}

}  // namespace oms::analytics
