// Customer profiles: one customer across orders (keyed by the normalised phone), their tier
// from history and tags, and everything the suite holds about them in one answer: orders,
// tickets, returns, feedback, compensation. Thread-safe.
#ifndef OMS_ORCHESTRATOR_SVC_CUSTOMER_PROFILES_H_
#define OMS_ORCHESTRATOR_SVC_CUSTOMER_PROFILES_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

class CustomerProfiles {
 public:
  explicit CustomerProfiles(WorkflowContext* context) : context_(context) {}

  // NOT_FOUND when no order has this phone.
  absl::StatusOr<v1::CustomerProfile> Get(const v1::GetCustomerRequest& request);
  absl::StatusOr<v1::CustomerProfile> Tag(const v1::TagCustomerRequest& request);

 private:
  WorkflowContext* context_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_CUSTOMER_PROFILES_H_
