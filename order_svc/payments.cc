#include "order_svc/payments.h"

#include "absl/strings/str_cat.h"
#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {

absl::Status Payments::CheckPaymentStep(const v1::Order& order,
                                        const v1::RecordPaymentRequest& request) {
  const v1::Payment& current = order.payment();
  if (request.amount().currency_code() != order.currency_code()) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount: currency must be the order's (", order.currency_code(), ")"));
  }
  int64_t amount = request.amount().minor_units();
  switch (request.status()) {
    case v1::Payment::PAID:
      if (current.status() != v1::Payment::UNPAID) {
        return absl::FailedPreconditionError(
            absl::StrCat("order ", order.order_id(), " payment is ",
                         v1::Payment::Status_Name(current.status()), ", not UNPAID"));
      }
      if (amount != order.total().minor_units()) {
        return absl::InvalidArgumentError(absl::StrCat("amount: must equal the order total ",
                                                       Money::FromProto(order.total())->ToString(),
                                                       " (no partial payments)"));
      }
      break;
    case v1::Payment::REFUNDED:
    case v1::Payment::UNPAID:
      if (current.status() != v1::Payment::PAID) {
        return absl::FailedPreconditionError(
            absl::StrCat("order ", order.order_id(), " payment is ",
                         v1::Payment::Status_Name(current.status()), ", not PAID"));
      }
      if (amount <= 0 || amount > current.amount().minor_units()) {
        return absl::InvalidArgumentError("amount: must be positive and at most the amount paid");
      }
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Order> Payments::RecordPayment(const v1::RecordPaymentRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(request.status() != v1::Payment::STATUS_UNSPECIFIED &&
                   v1::Payment::Status_IsValid(request.status()),
               "status", "is required (PAID, REFUNDED, UNPAID)");
  errors.MaxLength(request.reference(), kMaxShortTextChars, "reference");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "RecordPayment", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Order order, store::LoadOrder(s, request.order_id()));
        OMS_RETURN_IF_ERROR(CheckPaymentStep(order, request));
        absl::Time now = host_->clock().Now();
        v1::Payment* payment = order.mutable_payment();
        payment->set_status(request.status());
        *payment->mutable_amount() = request.amount();
        payment->set_reference(request.reference());
        *payment->mutable_updated_at() = ToProtoTime(now);
        order.set_version(order.version() + 1);
        *order.mutable_updated_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::SaveOrder(s, order));
        v1::PaymentRecorded event;
        event.set_order_id(order.order_id());
        *event.mutable_payment() = *payment;
        event.set_actor(ActorOrSystem(request.actor()));
        OMS_RETURN_IF_ERROR(
            host_->outbox()
                .Append(s, order.order_id(), event, v1::Channel_Name(order.channel()))
                .status());
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

}  // namespace oms::order
