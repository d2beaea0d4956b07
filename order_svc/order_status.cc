#include "order_svc/order_status.h"

#include "absl/strings/str_cat.h"
#include "order_svc/order_state_machine.h"
#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {

absl::Status OrderStatusChanges::ApplyTransition(Session& s, v1::Order& order, v1::OrderStatus to,
                                                 const std::string& actor,
                                                 const std::string& reason) {
  OMS_RETURN_IF_ERROR(CheckTransition(order, to));
  absl::Time now = host_->clock().Now();
  v1::OrderStatus from = order.status();
  order.set_held_from(to == v1::ON_HOLD ? from : v1::ORDER_STATUS_UNSPECIFIED);
  order.set_status(to);
  if (to == v1::CANCELLED) order.set_cancel_reason(reason);
  order.set_version(order.version() + 1);
  *order.mutable_updated_at() = ToProtoTime(now);
  OMS_RETURN_IF_ERROR(store::SaveOrder(s, order));
  v1::StatusChange change;
  change.set_from_status(from);
  change.set_to_status(to);
  change.set_actor(ActorOrSystem(actor));
  change.set_reason(reason);
  *change.mutable_changed_at() = ToProtoTime(now);
  OMS_RETURN_IF_ERROR(store::AppendStatusChange(s, order.order_id(), change));
  v1::OrderStatusChanged event;
  event.set_order_id(order.order_id());
  event.set_from_status(from);
  event.set_to_status(to);
  event.set_actor(change.actor());
  event.set_reason(reason);
  event.set_channel(order.channel());
  OMS_RETURN_IF_ERROR(host_->outbox()
                          .Append(s, order.order_id(), event, v1::Channel_Name(order.channel()))
                          .status());
  if (to == v1::CANCELLED) {
    v1::OrderCancelled cancelled;
    cancelled.set_order_id(order.order_id());
    cancelled.set_from_status(from);
    cancelled.set_reason(reason);
    cancelled.set_actor(change.actor());
    OMS_RETURN_IF_ERROR(
        host_->outbox()
            .Append(s, order.order_id(), cancelled, v1::Channel_Name(order.channel()))
            .status());
  }
  return absl::OkStatus();
}

namespace {

// The request's whole path: to_status, then its further steps.
std::vector<v1::StatusStep> PathOf(const v1::TransitionOrderRequest& request) {
  std::vector<v1::StatusStep> path(1);
  path[0].set_to_status(request.to_status());
  path[0].set_actor(request.actor());
  path[0].set_reason(request.reason());
  path.insert(path.end(), request.further_steps().begin(), request.further_steps().end());
  return path;
}

void CheckStep(FieldErrors& errors, const v1::StatusStep& step, const std::string& prefix) {
  errors.Check(
      step.to_status() != v1::ORDER_STATUS_UNSPECIFIED && v1::OrderStatus_IsValid(step.to_status()),
      prefix + "to_status", "is required");
  errors.MaxLength(step.actor(), kMaxNameChars, prefix + "actor");
  errors.MaxLength(step.reason(), kMaxNotesChars, prefix + "reason");
  if (step.to_status() == v1::CANCELLED) errors.Required(step.reason(), prefix + "reason");
}

}  // namespace

absl::StatusOr<v1::Order> OrderStatusChanges::TransitionOrder(
    const v1::TransitionOrderRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  const std::vector<v1::StatusStep> path = PathOf(request);
  for (size_t i = 0; i < path.size(); ++i) {
    CheckStep(errors, path[i], i == 0 ? "" : absl::StrCat("further_steps[", i - 1, "]."));
  }
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "TransitionOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, store::LoadOrder(s, request.order_id()));
        for (int left : request.leave_statuses()) {
          if (answer.status() == left) return absl::OkStatus();  // left as it is
        }
        size_t first = 0;
        if (path.size() > 1) {  // a path: the steps already taken are not taken again
          for (size_t i = 0; i < path.size(); ++i) {
            if (path[i].to_status() == answer.status()) first = i + 1;
          }
        }
        for (size_t i = first; i < path.size(); ++i) {
          OMS_RETURN_IF_ERROR(
              ApplyTransition(s, answer, path[i].to_status(), path[i].actor(), path[i].reason()));
        }
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Order> OrderStatusChanges::CancelOrder(const v1::CancelOrderRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Required(request.reason(), "reason");
  errors.MaxLength(request.reason(), kMaxNotesChars, "reason");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CancelOrder", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, store::LoadOrder(s, request.order_id()));
        if (answer.workflow_managed() && IsCancellable(answer)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "order ", answer.order_id(),
              " is run by the orchestrator's workflow: cancel it with "
              "oms.orchestrator.v1.OrchestratorService/CancelOrder, which also cancels its "
              "shipments, releases its stock and refunds what was paid"));
        }
        if (!IsCancellable(answer)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "order ", answer.order_id(), " is ", v1::OrderStatus_Name(answer.status()),
              " and can no longer be cancelled; request a return instead"));
        }
        return ApplyTransition(s, answer, v1::CANCELLED, request.actor(), request.reason());
      }));
  return answer;
}

}  // namespace oms::order
