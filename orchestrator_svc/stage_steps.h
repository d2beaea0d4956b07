// What each stage does when its workflow is due: the work of the stage table's rows. A step
// calls the peers with "<order_id>:<step>" keys (so it can always run again), updates the
// workflow and enters the next stage through Enter(); what it wants stored with the
// workflow (a ticket, a review decision) goes into StepOutcome. The steps live in one file
// per concern: intake_step.cc, allocation_step.cc, shipping_step.cc, carrier_steps.cc,
// cancellation_step.cc, waiting_steps.cc. Thread-safe (no state of its own).
#ifndef OMS_ORCHESTRATOR_SVC_STAGE_STEPS_H_
#define OMS_ORCHESTRATOR_SVC_STAGE_STEPS_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/customer_tier.h"
#include "orchestrator_svc/review_rules.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"

namespace oms::orchestrator {

struct StepOutcome {
  std::optional<TicketRequest> ticket;
  std::optional<v1::ReviewDecision> decision;
};

class StageSteps {
 public:
  explicit StageSteps(WorkflowContext* context) : context_(context) {}

  // Runs the step of `wf`'s stage.
  absl::Status Run(v1::Workflow& wf, Learned& learned, StepOutcome& out);
  // After a step of `wf`'s stage failed for good: undoes what the stage holds by the stage
  // table (labels, reservations, backorder queue places), so a stopped order holds nothing
  // while a person decides; marks the workflow compensated (a retry or an amendment
  // allocates again).
  absl::Status Compensate(v1::Workflow& wf);

 private:
  absl::Status Review(v1::Workflow& wf, Learned& learned, StepOutcome& out);  // RECEIVED
  absl::Status AwaitPayment(v1::Workflow& wf, StepOutcome& out);              // AWAITING_PAYMENT
  absl::Status Allocate(v1::Workflow& wf, Learned& learned);                  // ALLOCATING
  absl::Status Ship(v1::Workflow& wf, Learned& learned, StepOutcome& out);    // SHIPPING
  absl::Status AwaitPickup(v1::Workflow& wf);                                 // AWAITING_PICKUP
  absl::Status FollowParcels(v1::Workflow& wf);                               // IN_TRANSIT
  absl::Status Complete(v1::Workflow& wf);                                    // DELIVERED
  absl::Status Cancel(v1::Workflow& wf, StepOutcome& out);                    // CANCELLING

  // The customer's tier as GetCustomer shows it (their orders by phone, the tags under any
  // key they are known by); `others` gets their orders.
  absl::StatusOr<TierVerdict> TierFor(const order::v1::Order& order,
                                      std::vector<order::v1::Order>& others);
  // Whether an order in `wf` goes ahead in the backorder queue by its customer's tier.
  absl::StatusOr<bool> Prioritised(const order::v1::Order& order);
  // Whether the order's requested delivery date can be met at all (for the review rules).
  absl::StatusOr<DeliveryOutlook> OutlookFor(const order::v1::Order& order,
                                             const std::string& region);
  // The label request for `warehouse_id`'s part of the order (`lines`: sku -> quantity).
  absl::StatusOr<logistics::v1::CreateShipmentRequest> LabelFor(
      const v1::Workflow& wf, const std::string& warehouse_id,
      const std::map<std::string, int64_t>& lines);
  // Cancels the labels of `wf` that logistics still has as CREATED and that `keep` does
  // not name; answers the ones the carrier had already picked up (too late to cancel).
  absl::StatusOr<std::vector<std::string>> CancelLabels(v1::Workflow& wf, bool keep_live,
                                                        const std::string& reason);

  WorkflowContext* context_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_STAGE_STEPS_H_
