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

absl::StatusOr<v1::Order> OrderStatusChanges::TransitionOrder(
    const v1::TransitionOrderRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(request.to_status() != v1::ORDER_STATUS_UNSPECIFIED &&
                   v1::OrderStatus_IsValid(request.to_status()),
               "to_status", "is required");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  errors.MaxLength(request.reason(), kMaxNotesChars, "reason");
  if (request.to_status() == v1::CANCELLED) errors.Required(request.reason(), "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "TransitionOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, store::LoadOrder(s, request.order_id()));
        return ApplyTransition(s, answer, request.to_status(), request.actor(), request.reason());
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
