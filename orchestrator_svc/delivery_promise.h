// When an order will arrive: inventory says from which warehouse and when its goods can
// leave (stock, an inbound purchase order, or the lead time, after the warehouse's cut-off
// and handling), logistics says what the carriers' transit from there to the ship-to region
// makes of it. The first carrier option that meets the urgency (the cheapest, as a label
// would be chosen) gives the date. No side effects.
#ifndef OMS_ORCHESTRATOR_SVC_DELIVERY_PROMISE_H_
#define OMS_ORCHESTRATOR_SVC_DELIVERY_PROMISE_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

class DeliveryPromises {
 public:
  explicit DeliveryPromises(WorkflowContext* context) : context_(context) {}

  // INVALID_ARGUMENT naming every bad field; FAILED_PRECONDITION when no carrier serves the
  // region with this parcel; a peer's error as it came.
  absl::StatusOr<v1::DeliveryPromise> Quote(const v1::QuotePromiseRequest& request);

  // The request for an order about to be placed.
  static v1::QuotePromiseRequest RequestFor(const order::v1::CreateOrderRequest& order);

 private:
  WorkflowContext* context_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_DELIVERY_PROMISE_H_
