#include "order_svc/payments.h"

#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {

absl::Status AppendPaymentEvents(ServiceHost& host, Session& s, const v1::Order& order,
                                 const v1::Refund* refund, const std::string& actor) {
  const std::string channel = v1::Channel_Name(order.channel());
  v1::PaymentRecorded recorded;
  recorded.set_order_id(order.order_id());
  *recorded.mutable_payment() = order.payment();
  if (refund != nullptr) *recorded.mutable_refund() = *refund;
  recorded.set_actor(actor);
  OMS_RETURN_IF_ERROR(host.outbox().Append(s, order.order_id(), recorded, channel).status());
  if (refund == nullptr) return absl::OkStatus();
  v1::PaymentRefunded refunded;
  refunded.set_order_id(order.order_id());
  *refunded.mutable_refund() = *refund;
  *refunded.mutable_payment() = order.payment();
  refunded.set_actor(actor);
  return host.outbox().Append(s, order.order_id(), refunded, channel).status();
}

absl::StatusOr<v1::Order> Payments::RecordPayment(const v1::RecordPaymentRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(request.status() == v1::Payment::PAID || request.status() == v1::Payment::REFUNDED ||
                   request.status() == v1::Payment::UNPAID,
               "status", "is required (PAID, REFUNDED, UNPAID)");
  errors.MaxLength(request.reference(), kMaxShortTextChars, "reference");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "RecordPayment", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Order order, store::LoadOrder(s, request.order_id()));
        absl::Time now = host_->clock().Now();
        OMS_RETURN_IF_ERROR(ApplyPayment(request, now, order));
        order.set_version(order.version() + 1);
        *order.mutable_updated_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::SaveOrder(s, order));
        const v1::Refund* refund = request.status() == v1::Payment::REFUNDED
                                       ? &*order.payment().refunds().rbegin()
                                       : nullptr;
        OMS_RETURN_IF_ERROR(
            AppendPaymentEvents(*host_, s, order, refund, ActorOrSystem(request.actor())));
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

}  // namespace oms::order
