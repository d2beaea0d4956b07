#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_SERVICE_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_SERVICE_H_

#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "orchestrator_svc/orchestrator.h"
#include "platform/server/service_host.h"

namespace oms::orchestrator {

// gRPC adapter of oms.orchestrator.v1.OrchestratorService: one call into the Orchestrator per
// method. Thread-safe.
class OrchestratorService final : public v1::OrchestratorService::Service {
 public:
  OrchestratorService(ServiceHost* host, Peers peers, OrchestratorOptions options)
      : host_(host), orchestrator_(host, peers, options) {}

  Orchestrator& orchestrator() { return orchestrator_; }

  grpc::Status PlaceOrder(grpc::ServerContext*, const v1::PlaceOrderRequest* request,
                          v1::PlaceOrderResponse* response) override;
  grpc::Status QuotePromise(grpc::ServerContext*, const v1::QuotePromiseRequest* request,
                            v1::DeliveryPromise* response) override;
  grpc::Status SubmitFeedback(grpc::ServerContext*, const v1::SubmitFeedbackRequest* request,
                              v1::Feedback* response) override;
  grpc::Status ListFeedback(grpc::ServerContext*, const v1::ListFeedbackRequest* request,
                            v1::ListFeedbackResponse* response) override;
  grpc::Status ProposeCompensation(grpc::ServerContext*,
                                   const v1::ProposeCompensationRequest* request,
                                   v1::Compensation* response) override;
  grpc::Status ApproveCompensation(grpc::ServerContext*,
                                   const v1::ApproveCompensationRequest* request,
                                   v1::Compensation* response) override;
  grpc::Status ListCompensations(grpc::ServerContext*, const v1::ListCompensationsRequest* request,
                                 v1::ListCompensationsResponse* response) override;
  grpc::Status GetCustomer(grpc::ServerContext*, const v1::GetCustomerRequest* request,
                           v1::CustomerProfile* response) override;
  grpc::Status TagCustomer(grpc::ServerContext*, const v1::TagCustomerRequest* request,
                           v1::CustomerProfile* response) override;
  grpc::Status GetWorkflow(grpc::ServerContext*, const v1::GetWorkflowRequest* request,
                           v1::Workflow* response) override;
  grpc::Status RunWorkflows(grpc::ServerContext*, const v1::RunWorkflowsRequest* request,
                            v1::RunWorkflowsResponse* response) override;
  grpc::Status CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest* request,
                           v1::Workflow* response) override;
  grpc::Status HoldOrder(grpc::ServerContext*, const v1::HoldOrderRequest* request,
                         v1::Workflow* response) override;
  grpc::Status ReleaseHold(grpc::ServerContext*, const v1::ReleaseHoldRequest* request,
                           v1::Workflow* response) override;
  grpc::Status AmendOrder(grpc::ServerContext*, const v1::AmendOrderRequest* request,
                          v1::Workflow* response) override;
  grpc::Status SaveReviewRule(grpc::ServerContext*, const v1::SaveReviewRuleRequest* request,
                              v1::ReviewRule* response) override;
  grpc::Status ListReviewRules(grpc::ServerContext*, const v1::ListReviewRulesRequest* request,
                               v1::ListReviewRulesResponse* response) override;
  grpc::Status ListReviewQueue(grpc::ServerContext*, const v1::ListReviewQueueRequest* request,
                               v1::ListReviewQueueResponse* response) override;
  grpc::Status ApproveOrder(grpc::ServerContext*, const v1::ReviewOrderRequest* request,
                            v1::Workflow* response) override;
  grpc::Status RejectOrder(grpc::ServerContext*, const v1::ReviewOrderRequest* request,
                           v1::Workflow* response) override;
  grpc::Status ListExceptions(grpc::ServerContext*, const v1::ListExceptionsRequest* request,
                              v1::ListExceptionsResponse* response) override;
  grpc::Status GetException(grpc::ServerContext*, const v1::GetExceptionRequest* request,
                            v1::ExceptionTicket* response) override;
  grpc::Status OpenException(grpc::ServerContext*, const v1::OpenExceptionRequest* request,
                             v1::ExceptionTicket* response) override;
  grpc::Status AddExceptionNote(grpc::ServerContext*, const v1::AddExceptionNoteRequest* request,
                                v1::ExceptionTicket* response) override;
  grpc::Status ResolveException(grpc::ServerContext*, const v1::ResolveExceptionRequest* request,
                                v1::ExceptionTicket* response) override;
  grpc::Status CloseException(grpc::ServerContext*, const v1::CloseExceptionRequest* request,
                              v1::ExceptionTicket* response) override;
  grpc::Status AssignException(grpc::ServerContext*, const v1::AssignExceptionRequest* request,
                               v1::ExceptionTicket* response) override;
  grpc::Status SaveExceptionRule(grpc::ServerContext*, const v1::SaveExceptionRuleRequest* request,
                                 v1::ExceptionRule* response) override;
  grpc::Status ListExceptionRules(grpc::ServerContext*, const v1::ListExceptionRulesRequest*,
                                  v1::ListExceptionRulesResponse* response) override;
  grpc::Status RequestReturn(grpc::ServerContext*, const v1::RequestReturnRequest* request,
                             v1::ReturnRecord* response) override;
  grpc::Status ReceiveReturn(grpc::ServerContext*, const v1::ReceiveReturnRequest* request,
                             v1::ReturnRecord* response) override;
  grpc::Status RefundReturn(grpc::ServerContext*, const v1::RefundReturnRequest* request,
                            v1::ReturnRecord* response) override;
  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override;

 private:
  ServiceHost* host_;
  Orchestrator orchestrator_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_SERVICE_H_
