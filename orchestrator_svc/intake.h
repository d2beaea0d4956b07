// The front door for channels: PlaceOrder refuses an order it could never fulfil (a line
// whose product the catalogue does not sell) before anything is recorded, promises a
// delivery date (kept on the order; none when inventory or logistics cannot answer), creates
// the order
// in order_svc (marked as run by the workflow), starts its workflow and advances it as far
// as it goes at once (review, allocation, labels), answering where it got to. A PlaceOrder
// cut off between the order and its workflow is finished by the OrderCreated event.
#ifndef OMS_ORCHESTRATOR_SVC_INTAKE_H_
#define OMS_ORCHESTRATOR_SVC_INTAKE_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/delivery_promise.h"
#include "orchestrator_svc/workflow_context.h"
#include "orchestrator_svc/workflow_engine.h"

namespace oms::orchestrator {

class Intake {
 public:
  Intake(WorkflowContext* context, WorkflowEngine* engine, DeliveryPromises* promises)
      : context_(context), engine_(engine), promises_(promises) {}

  absl::StatusOr<v1::PlaceOrderResponse> PlaceOrder(const v1::PlaceOrderRequest& request);
  absl::StatusOr<v1::Workflow> GetWorkflow(const v1::GetWorkflowRequest& request);

 private:
  // INVALID_ARGUMENT naming every line whose sku is unknown or no longer sold.
  absl::Status CheckCatalogue(const order::v1::CreateOrderRequest& order);
  absl::StatusOr<v1::PlaceOrderResponse> Answer(const std::string& order_id, Learned& learned);

  WorkflowContext* context_;
  WorkflowEngine* engine_;
  DeliveryPromises* promises_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_INTAKE_H_
