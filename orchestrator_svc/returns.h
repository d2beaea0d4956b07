// Returns after delivery: requested (order RETURN_REQUESTED), received (restocked through an
// inventory RETURN adjustment unless damaged; order RETURNED), refunded (payment REFUNDED by
// what the returned units were paid, return_refund.h; order REFUNDED). Each step is
// idempotent; every line asked for or received must be within what the order bought.
#ifndef OMS_ORCHESTRATOR_SVC_RETURNS_H_
#define OMS_ORCHESTRATOR_SVC_RETURNS_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/return_refund.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

class Returns {
 public:
  explicit Returns(WorkflowContext* context) : context_(context) {}

  absl::StatusOr<v1::ReturnRecord> Request(const v1::RequestReturnRequest& request);
  absl::StatusOr<v1::ReturnRecord> Receive(const v1::ReceiveReturnRequest& request);
  absl::StatusOr<v1::ReturnRecord> Refund(const v1::RefundReturnRequest& request);

 private:
  absl::StatusOr<v1::ReturnRecord> Load(const std::string& return_id);
  // FAILED_PRECONDITION, saying what to do instead, unless the goods were delivered.
  static absl::Status CheckDelivered(const order::v1::Order& order);
  absl::Status Restock(const v1::ReturnRecord& record, const std::string& warehouse_id,
                       const ReturnLines& received);
  absl::Status MoveOrder(const std::string& key, const std::string& order_id,
                         order::v1::OrderStatus to, const std::string& reason);

  WorkflowContext* context_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_RETURNS_H_
