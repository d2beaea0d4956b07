#include "orchestrator_svc/intake.h"

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"

namespace oms::orchestrator {

absl::Status Intake::CheckCatalogue(const order::v1::CreateOrderRequest& order) {
  FieldErrors errors;
  for (int i = 0; i < order.lines_size(); ++i) {
    const std::string& sku = order.lines(i).sku();
    if (sku.empty()) continue;  // order_svc names missing fields
    absl::StatusOr<inventory::v1::Product> product = context_->Product(sku);
    if (product.ok()) {
      errors.Check(product->active(), IndexedField("lines", i, "sku"),
                   absl::StrCat(sku, " is no longer sold (inactive in the catalogue)"));
    } else if (product.status().code() == absl::StatusCode::kNotFound) {
      errors.Check(false, IndexedField("lines", i, "sku"),
                   absl::StrCat(sku, " is not in the catalogue"));
    } else if (!IsTransient(product.status())) {
      return product.status();
    }  // inventory_svc unreachable: the order is taken; allocation checks the line later
  }
  return errors.ToStatus();
}

absl::StatusOr<v1::PlaceOrderResponse> Intake::PlaceOrder(const v1::PlaceOrderRequest& request) {
  FieldErrors errors;
  errors.MaxLength(request.idempotency_key(), 128, "idempotency_key");
  errors.Check(request.has_order(), "order", "is required");
  errors.Check(request.policy() == inventory::v1::ALLOCATION_POLICY_UNSPECIFIED ||
                   request.policy() == inventory::v1::ALLOW_PARTIAL ||
                   request.policy() == inventory::v1::SHIP_COMPLETE,
               "policy", "must be ALLOW_PARTIAL or SHIP_COMPLETE");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(CheckCatalogue(request.order()));
  // The order itself: order_svc dedupes on the key and on (channel, external reference).
  order::v1::CreateOrderRequest create = request.order();
  if (!request.idempotency_key().empty()) {
    create.set_idempotency_key(request.idempotency_key() + ":create");
  }
  create.set_workflow_managed(true);
  if (request.policy() == inventory::v1::SHIP_COMPLETE) create.set_ship_complete(true);
  // The promise is best effort: an order is taken even when no date can be promised.
  absl::StatusOr<v1::DeliveryPromise> promise =
      promises_->Quote(DeliveryPromises::RequestFor(create));
  if (promise.ok()) *create.mutable_promised_delivery() = promise->promised_delivery();
  Learned learned;
  OMS_ASSIGN_OR_RETURN(learned.order, context_->peers().order->Create(create));
  const std::string order_id = learned.order->order_id();
  // The workflow: review, allocation and labels at once when they can, stored in one commit;
  // the answer carries the outcome. Whatever fails here transiently is picked up by the worker.
  OMS_RETURN_IF_ERROR(engine_->Place(NewWorkflow(*learned.order, context_->Now()), learned));
  OMS_ASSIGN_OR_RETURN(v1::PlaceOrderResponse response, Answer(order_id, learned));
  // A retried PlaceOrder answers the date stored with the order, not today's quote.
  if (promise.ok() && learned.order->has_promised_delivery()) {
    *response.mutable_promise() = *promise;
    *response.mutable_promise()->mutable_promised_delivery() = learned.order->promised_delivery();
  }
  return response;
}

absl::StatusOr<v1::PlaceOrderResponse> Intake::Answer(const std::string& order_id,
                                                      Learned& learned) {
  v1::PlaceOrderResponse response;
  response.set_order_id(order_id);
  std::optional<store::VersionedWorkflow> v;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(v, store::FindWorkflow(s, order_id));
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ReviewDecision> decisions,
                         store::ReviewDecisions(s, order_id));
    if (!decisions.empty()) *response.mutable_review() = decisions.back();
    return absl::OkStatus();
  }));
  if (!v.has_value())
    return absl::InternalError(absl::StrCat("order ", order_id, " has no workflow"));
  const v1::Workflow& wf = v->workflow;
  response.set_stage(wf.stage());
  response.set_status(wf.order_status());
  for (const std::string& w : wf.warehouses()) response.mutable_allocation()->add_warehouses(w);
  if (wf.allocation_requested()) {
    if (!learned.allocation.has_value()) {
      absl::StatusOr<inventory::v1::Allocation> allocation =
          context_->peers().inventory->GetAllocation(order_id);
      if (allocation.ok()) learned.allocation = *allocation;  // else: answered without it
    }
    if (learned.allocation.has_value()) {
      response.mutable_allocation()->set_fully_allocated(learned.allocation->fully_allocated());
      *response.mutable_allocation()->mutable_backordered() = learned.allocation->backordered();
    }
  }
  return response;
}

absl::StatusOr<v1::Workflow> Intake::GetWorkflow(const v1::GetWorkflowRequest& request) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                       engine_->Find(request.order_id()));
  if (!v.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workflow for order \"", request.order_id(), "\""));
  }
  return v->workflow;
}

}  // namespace oms::orchestrator
