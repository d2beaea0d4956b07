#include "orchestrator_svc/orchestrator_service.h"

#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/call_context.h"
#include "platform/security/channel_scope.h"
#include "platform/security/request_limits.h"
#include "platform/server/service_info.h"

namespace oms::orchestrator {

grpc::Status OrchestratorService::PlaceOrder(grpc::ServerContext*,
                                             const v1::PlaceOrderRequest* request,
                                             v1::PlaceOrderResponse* response) {
  // A channel-bound key places orders of its own channel only.
  absl::Status scope = auth::CheckChannel(auth::CurrentPrincipal(),
                                          order::v1::Channel_Name(request->order().channel()));
  if (!scope.ok()) return ToGrpcStatus(scope);
  return Serve(*request, response, [&] { return orchestrator_.intake().PlaceOrder(*request); });
}

grpc::Status OrchestratorService::QuotePromise(grpc::ServerContext*,
                                               const v1::QuotePromiseRequest* request,
                                               v1::DeliveryPromise* response) {
  return Serve(*request, response, [&] { return orchestrator_.promises().Quote(*request); });
}

grpc::Status OrchestratorService::SubmitFeedback(grpc::ServerContext*,
                                                 const v1::SubmitFeedbackRequest* request,
                                                 v1::Feedback* response) {
  return Serve(*request, response, [&] { return orchestrator_.satisfaction().Submit(*request); });
}

grpc::Status OrchestratorService::ListFeedback(grpc::ServerContext*,
                                               const v1::ListFeedbackRequest* request,
                                               v1::ListFeedbackResponse* response) {
  return Serve(*request, response,
               [&] { return orchestrator_.satisfaction().ListFeedback(*request); });
}

grpc::Status OrchestratorService::ProposeCompensation(grpc::ServerContext*,
                                                      const v1::ProposeCompensationRequest* request,
                                                      v1::Compensation* response) {
  return Serve(*request, response, [&] { return orchestrator_.satisfaction().Propose(*request); });
}

grpc::Status OrchestratorService::ApproveCompensation(grpc::ServerContext*,
                                                      const v1::ApproveCompensationRequest* request,
                                                      v1::Compensation* response) {
  return Serve(*request, response, [&] { return orchestrator_.satisfaction().Approve(*request); });
}

grpc::Status OrchestratorService::ListCompensations(grpc::ServerContext*,
                                                    const v1::ListCompensationsRequest* request,
                                                    v1::ListCompensationsResponse* response) {
  return Serve(*request, response,
               [&] { return orchestrator_.satisfaction().ListCompensations(*request); });
}

grpc::Status OrchestratorService::GetWorkflow(grpc::ServerContext*,
                                              const v1::GetWorkflowRequest* request,
                                              v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.intake().GetWorkflow(*request); });
}

grpc::Status OrchestratorService::RunWorkflows(grpc::ServerContext*, const v1::RunWorkflowsRequest*,
                                               v1::RunWorkflowsResponse* response) {
  return Reply(orchestrator_.engine().RunDue(), response);
}

grpc::Status OrchestratorService::CancelOrder(grpc::ServerContext*,
                                              const v1::CancelOrderRequest* request,
                                              v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.commands().Cancel(*request); });
}

grpc::Status OrchestratorService::HoldOrder(grpc::ServerContext*,
                                            const v1::HoldOrderRequest* request,
                                            v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.commands().Hold(*request); });
}

grpc::Status OrchestratorService::ReleaseHold(grpc::ServerContext*,
                                              const v1::ReleaseHoldRequest* request,
                                              v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.commands().Release(*request); });
}

grpc::Status OrchestratorService::AmendOrder(grpc::ServerContext*,
                                             const v1::AmendOrderRequest* request,
                                             v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.commands().Amend(*request); });
}

grpc::Status OrchestratorService::SaveReviewRule(grpc::ServerContext*,
                                                 const v1::SaveReviewRuleRequest* request,
                                                 v1::ReviewRule* response) {
  return Serve(*request, response, [&] { return orchestrator_.review_desk().SaveRule(*request); });
}

grpc::Status OrchestratorService::ListReviewRules(grpc::ServerContext*,
                                                  const v1::ListReviewRulesRequest*,
                                                  v1::ListReviewRulesResponse* response) {
  return Reply(orchestrator_.review_desk().ListRules(), response);
}

grpc::Status OrchestratorService::ListReviewQueue(grpc::ServerContext*,
                                                  const v1::ListReviewQueueRequest*,
                                                  v1::ListReviewQueueResponse* response) {
  return Reply(orchestrator_.review_desk().ListQueue(), response);
}

grpc::Status OrchestratorService::ApproveOrder(grpc::ServerContext*,
                                               const v1::ReviewOrderRequest* request,
                                               v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.review_desk().Approve(*request); });
}

grpc::Status OrchestratorService::RejectOrder(grpc::ServerContext*,
                                              const v1::ReviewOrderRequest* request,
                                              v1::Workflow* response) {
  return Serve(*request, response, [&] { return orchestrator_.review_desk().Reject(*request); });
}

grpc::Status OrchestratorService::ListExceptions(grpc::ServerContext*,
                                                 const v1::ListExceptionsRequest* request,
                                                 v1::ListExceptionsResponse* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().List(*request); });
}

grpc::Status OrchestratorService::GetException(grpc::ServerContext*,
                                               const v1::GetExceptionRequest* request,
                                               v1::ExceptionTicket* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().Get(*request); });
}

grpc::Status OrchestratorService::OpenException(grpc::ServerContext*,
                                                const v1::OpenExceptionRequest* request,
                                                v1::ExceptionTicket* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().OpenByPerson(*request); });
}

grpc::Status OrchestratorService::AddExceptionNote(grpc::ServerContext*,
                                                   const v1::AddExceptionNoteRequest* request,
                                                   v1::ExceptionTicket* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().AddNote(*request); });
}

grpc::Status OrchestratorService::ResolveException(grpc::ServerContext*,
                                                   const v1::ResolveExceptionRequest* request,
                                                   v1::ExceptionTicket* response) {
  return Serve(*request, response, [&] { return orchestrator_.resolutions().Resolve(*request); });
}

grpc::Status OrchestratorService::CloseException(grpc::ServerContext*,
                                                 const v1::CloseExceptionRequest* request,
                                                 v1::ExceptionTicket* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().Close(*request); });
}

grpc::Status OrchestratorService::AssignException(grpc::ServerContext*,
                                                  const v1::AssignExceptionRequest* request,
                                                  v1::ExceptionTicket* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().Assign(*request); });
}

grpc::Status OrchestratorService::SaveExceptionRule(grpc::ServerContext*,
                                                    const v1::SaveExceptionRuleRequest* request,
                                                    v1::ExceptionRule* response) {
  return Serve(*request, response, [&] { return orchestrator_.tickets().SaveRule(*request); });
}

grpc::Status OrchestratorService::ListExceptionRules(grpc::ServerContext*,
                                                     const v1::ListExceptionRulesRequest*,
                                                     v1::ListExceptionRulesResponse* response) {
  return Reply(orchestrator_.tickets().ListRules(), response);
}

grpc::Status OrchestratorService::RequestReturn(grpc::ServerContext*,
                                                const v1::RequestReturnRequest* request,
                                                v1::ReturnRecord* response) {
  return Serve(*request, response, [&] { return orchestrator_.returns().Request(*request); });
}

grpc::Status OrchestratorService::ReceiveReturn(grpc::ServerContext*,
                                                const v1::ReceiveReturnRequest* request,
                                                v1::ReturnRecord* response) {
  return Serve(*request, response, [&] { return orchestrator_.returns().Receive(*request); });
}

grpc::Status OrchestratorService::RefundReturn(grpc::ServerContext*,
                                               const v1::RefundReturnRequest* request,
                                               v1::ReturnRecord* response) {
  return Serve(*request, response, [&] { return orchestrator_.returns().Refund(*request); });
}

grpc::Status OrchestratorService::GetServiceInfo(grpc::ServerContext*,
                                                 const common::v1::GetServiceInfoRequest*,
                                                 common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

grpc::Status OrchestratorService::GetCustomer(grpc::ServerContext*,
                                              const v1::GetCustomerRequest* request,
                                              v1::CustomerProfile* response) {
  return Serve(*request, response, [&] { return orchestrator_.customers().Get(*request); });
}

grpc::Status OrchestratorService::TagCustomer(grpc::ServerContext*,
                                              const v1::TagCustomerRequest* request,
                                              v1::CustomerProfile* response) {
  return Serve(*request, response, [&] { return orchestrator_.customers().Tag(*request); });
}

}  // namespace oms::orchestrator
