#include "orchestrator_svc/orchestrator_service.h"

#include "platform/auth/call_context.h"
#include "platform/auth/platform_access.h"
#include "platform/info_only_service.h"
#include "platform/status.h"

namespace oms::orchestrator {

grpc::Status OrchestratorService::PlaceOrder(grpc::ServerContext*,
                                             const v1::PlaceOrderRequest* request,
                                             v1::PlaceOrderResponse* response) {
  // A channel-bound key places orders of its own channel only.
  absl::Status scope = auth::CheckChannel(auth::CurrentPrincipal(),
                                          order::v1::Channel_Name(request->order().channel()));
  if (!scope.ok()) return ToGrpcStatus(scope);
  return Reply(orchestrator_.PlaceOrder(*request), response);
}

grpc::Status OrchestratorService::GetWorkflow(grpc::ServerContext*,
                                              const v1::GetWorkflowRequest* request,
                                              v1::Workflow* response) {
  return Reply(orchestrator_.GetWorkflow(*request), response);
}

grpc::Status OrchestratorService::RunWorkflows(grpc::ServerContext*, const v1::RunWorkflowsRequest*,
                                               v1::RunWorkflowsResponse* response) {
  return Reply(orchestrator_.RunWorkflows(), response);
}

grpc::Status OrchestratorService::SaveReviewRule(grpc::ServerContext*,
                                                 const v1::SaveReviewRuleRequest* request,
                                                 v1::ReviewRule* response) {
  return Reply(orchestrator_.SaveReviewRule(*request), response);
}

grpc::Status OrchestratorService::ListReviewRules(grpc::ServerContext*,
                                                  const v1::ListReviewRulesRequest*,
                                                  v1::ListReviewRulesResponse* response) {
  return Reply(orchestrator_.ListReviewRules(), response);
}

grpc::Status OrchestratorService::ListReviewQueue(grpc::ServerContext*,
                                                  const v1::ListReviewQueueRequest*,
                                                  v1::ListReviewQueueResponse* response) {
  return Reply(orchestrator_.ListReviewQueue(), response);
}

grpc::Status OrchestratorService::ApproveOrder(grpc::ServerContext*,
                                               const v1::ReviewOrderRequest* request,
                                               v1::Workflow* response) {
  return Reply(orchestrator_.ApproveOrder(*request), response);
}

grpc::Status OrchestratorService::RejectOrder(grpc::ServerContext*,
                                              const v1::ReviewOrderRequest* request,
                                              v1::Workflow* response) {
  return Reply(orchestrator_.RejectOrder(*request), response);
}

grpc::Status OrchestratorService::ListExceptions(grpc::ServerContext*,
                                                 const v1::ListExceptionsRequest* request,
                                                 v1::ListExceptionsResponse* response) {
  return Reply(orchestrator_.ListExceptions(*request), response);
}

grpc::Status OrchestratorService::GetException(grpc::ServerContext*,
                                               const v1::GetExceptionRequest* request,
                                               v1::ExceptionTicket* response) {
  return Reply(orchestrator_.GetException(*request), response);
}

grpc::Status OrchestratorService::OpenException(grpc::ServerContext*,
                                                const v1::OpenExceptionRequest* request,
                                                v1::ExceptionTicket* response) {
  return Reply(orchestrator_.OpenException(*request), response);
}

grpc::Status OrchestratorService::AddExceptionNote(grpc::ServerContext*,
                                                   const v1::AddExceptionNoteRequest* request,
                                                   v1::ExceptionTicket* response) {
  return Reply(orchestrator_.AddExceptionNote(*request), response);
}

grpc::Status OrchestratorService::ResolveException(grpc::ServerContext*,
                                                   const v1::ResolveExceptionRequest* request,
                                                   v1::ExceptionTicket* response) {
  return Reply(orchestrator_.ResolveException(*request), response);
}

grpc::Status OrchestratorService::CloseException(grpc::ServerContext*,
                                                 const v1::CloseExceptionRequest* request,
                                                 v1::ExceptionTicket* response) {
  return Reply(orchestrator_.CloseException(*request), response);
}

grpc::Status OrchestratorService::AssignException(grpc::ServerContext*,
                                                  const v1::AssignExceptionRequest* request,
                                                  v1::ExceptionTicket* response) {
  return Reply(orchestrator_.AssignException(*request), response);
}

grpc::Status OrchestratorService::SaveExceptionRule(grpc::ServerContext*,
                                                    const v1::SaveExceptionRuleRequest* request,
                                                    v1::ExceptionRule* response) {
  return Reply(orchestrator_.SaveExceptionRule(*request), response);
}

grpc::Status OrchestratorService::ListExceptionRules(grpc::ServerContext*,
                                                     const v1::ListExceptionRulesRequest*,
                                                     v1::ListExceptionRulesResponse* response) {
  return Reply(orchestrator_.ListExceptionRules(), response);
}

grpc::Status OrchestratorService::RequestReturn(grpc::ServerContext*,
                                                const v1::RequestReturnRequest* request,
                                                v1::ReturnRecord* response) {
  return Reply(orchestrator_.RequestReturn(*request), response);
}

grpc::Status OrchestratorService::ReceiveReturn(grpc::ServerContext*,
                                                const v1::ReceiveReturnRequest* request,
                                                v1::ReturnRecord* response) {
  return Reply(orchestrator_.ReceiveReturn(*request), response);
}

grpc::Status OrchestratorService::RefundReturn(grpc::ServerContext*,
                                               const v1::RefundReturnRequest* request,
                                               v1::ReturnRecord* response) {
  return Reply(orchestrator_.RefundReturn(*request), response);
}

grpc::Status OrchestratorService::GetServiceInfo(grpc::ServerContext*,
                                                 const common::v1::GetServiceInfoRequest*,
                                                 common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::orchestrator
