#include "order_svc/order_changes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "order_svc/order_pricing.h"
#include "order_svc/order_state_machine.h"
#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "order_svc/payment_ledger.h"
#include "order_svc/payments.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {
namespace {

using google::protobuf::util::TimeUtil;

std::string DescribeLines(const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines) {
  return absl::StrJoin(lines, ", ", [](std::string* out, const v1::OrderLine& line) {
    absl::StrAppend(out, line.sku(), " x", line.quantity(), " @", line.unit_price().minor_units());
  });
}

std::string DescribeAddress(const v1::Address& a) {
  return absl::StrJoin({a.country_code(), a.region(), a.city(), a.postal_code(), a.street()},
                       " | ");
}

std::string DescribeDate(const v1::Order& order) {
  return order.has_requested_delivery_date() ? TimeUtil::ToString(order.requested_delivery_date())
                                             : "";
}

// Whether an UpdateOrder may change `order` now: before allocation always; after it (until
// it ships) only as the orchestrator's amendment, which moves the stock and labels too.
absl::Status CheckChangeable(const v1::Order& order, bool workflow_amendment) {
  if (IsEditable(order) || (workflow_amendment && IsAmendable(order))) return absl::OkStatus();
  std::string status = v1::OrderStatus_Name(order.status());
  if (order.workflow_managed() && IsAmendable(order)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "order ", order.order_id(), " is ", status,
        ": after allocation it is changed with "
        "oms.orchestrator.v1.OrchestratorService/AmendOrder, which also re-allocates its stock "
        "and re-makes its labels"));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("order ", order.order_id(), " is ", status,
                   IsAmendable(order) ? ": orders can be changed only before allocation"
                                      : ": it has shipped and can no longer be changed"));
}

// INVALID_ARGUMENT naming every bad field of an UpdateOrder, or one that changes nothing.
absl::Status CheckUpdate(const v1::UpdateOrderRequest& request, absl::Time now) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  errors.MaxLength(request.reason(), kMaxNotesChars, "reason");
  if (request.has_customer_name()) {
    if (errors.Required(request.customer_name(), "customer_name")) {
      errors.MaxLength(request.customer_name(), kMaxNameChars, "customer_name");
    }
  }
  if (request.has_customer_phone()) CheckPhone(request.customer_phone(), "customer_phone", errors);
  if (request.has_customer_email()) CheckEmail(request.customer_email(), "customer_email", errors);
  if (request.has_shipping_address()) {
    CheckAddress(request.shipping_address(), "shipping_address", errors);
  }
  if (request.has_notes()) errors.MaxLength(request.notes(), kMaxNotesChars, "notes");
  errors.Check(v1::Urgency_IsValid(request.urgency()), "urgency", "is not LOW, NORMAL or URGENT");
  if (request.has_requested_delivery_date()) {
    CheckDeliveryDate(request.requested_delivery_date(), now, "requested_delivery_date", errors);
  }
  errors.Check(
      request.has_customer_name() || request.has_customer_phone() || request.has_customer_email() ||
          request.has_shipping_address() || request.has_lines() || request.has_notes() ||
          request.urgency() != v1::URGENCY_UNSPECIFIED || request.has_requested_delivery_date(),
      "update", "sets no field: nothing to change");
  return errors.ToStatus();
}

// Applies the fields `request` sets to `order`, noting each that changed in `modification`.
absl::Status ApplyUpdate(const v1::UpdateOrderRequest& request, v1::Order& order,
                         v1::Modification& modification) {
  auto change = [&](const std::string& field, const std::string& old_value,
                    const std::string& new_value) {
    if (old_value == new_value) return;
    v1::FieldChange* c = modification.add_changes();
    c->set_field(field);
    c->set_old_value(old_value);
    c->set_new_value(new_value);
  };
  v1::Customer* customer = order.mutable_customer();
  if (request.has_customer_name()) {
    change("customer.name", customer->name(), request.customer_name());
    customer->set_name(request.customer_name());
  }
  if (request.has_customer_phone()) {
    std::string phone = NormalizePhone(request.customer_phone());
    change("customer.phone", customer->phone(), phone);
    customer->set_phone(phone);
  }
  if (request.has_customer_email()) {
    change("customer.email", customer->email(), request.customer_email());
    customer->set_email(request.customer_email());
  }
  if (request.has_shipping_address()) {
    change("customer.shipping_address", DescribeAddress(customer->shipping_address()),
           DescribeAddress(request.shipping_address()));
    *customer->mutable_shipping_address() = request.shipping_address();
  }
  if (request.has_lines()) {
    std::string old_lines = DescribeLines(order.lines());
    std::string old_total = Money::FromProto(order.total())->ToString();
    *order.mutable_lines() = request.lines().lines();
    OMS_RETURN_IF_ERROR(PriceOrder(order));
    change("lines", old_lines, DescribeLines(order.lines()));
    change("total", old_total, Money::FromProto(order.total())->ToString());
  }
  if (request.has_notes()) {
    change("notes", order.notes(), request.notes());
    order.set_notes(request.notes());
  }
  if (request.urgency() != v1::URGENCY_UNSPECIFIED) {
    change("urgency", v1::Urgency_Name(order.urgency()), v1::Urgency_Name(request.urgency()));
    order.set_urgency(request.urgency());
  }
  if (request.has_requested_delivery_date()) {
    change("requested_delivery_date", DescribeDate(order),
           TimeUtil::ToString(request.requested_delivery_date()));
    *order.mutable_requested_delivery_date() = request.requested_delivery_date();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Order> OrderChanges::UpdateOrder(const v1::UpdateOrderRequest& request) {
  OMS_RETURN_IF_ERROR(CheckUpdate(request, host_->clock().Now()));
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "UpdateOrder", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Order order, store::LoadOrder(s, request.order_id()));
        if (request.expected_version() != 0 && request.expected_version() != order.version()) {
          return absl::AbortedError(absl::StrCat("order ", order.order_id(), " is at version ",
                                                 order.version(), ", not ",
                                                 request.expected_version(), ": reload and retry"));
        }
        OMS_RETURN_IF_ERROR(CheckChangeable(order, request.workflow_amendment()));
        if (request.has_lines()) {
          FieldErrors line_errors;
          CheckLines(request.lines().lines(), order.currency_code(), "lines.lines", line_errors);
          OMS_RETURN_IF_ERROR(line_errors.ToStatus());
        }
        const int64_t old_total = order.total().minor_units();
        v1::Modification modification;
        OMS_RETURN_IF_ERROR(ApplyUpdate(request, order, modification));
        if (modification.changes_size() > 0) {  // else every value was already as requested
          OMS_RETURN_IF_ERROR(
              Record(s, order, modification, request.actor(), request.reason(), old_total));
        }
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

absl::Status OrderChanges::Record(Session& s, v1::Order& order, v1::Modification& modification,
                                  const std::string& actor, const std::string& reason,
                                  int64_t old_total_minor) {
  absl::Time now = host_->clock().Now();
  order.set_version(order.version() + 1);
  *order.mutable_updated_at() = ToProtoTime(now);
  OMS_ASSIGN_OR_RETURN(
      std::optional<v1::Refund> refund,
      SettleRepricing(old_total_minor, ActorOrSystem(actor),
                      absl::StrCat(order.order_id(), " changed (version ", order.version(), ")"),
                      now, order));
  if (refund.has_value()) {
    v1::FieldChange* refunded = modification.add_changes();
    refunded->set_field("payment.refunded");
    refunded->set_new_value(MoneyText(refund->amount()));
  }
  modification.set_version(order.version());
  modification.set_actor(ActorOrSystem(actor));
  modification.set_reason(reason);
  *modification.mutable_modified_at() = ToProtoTime(now);
  OMS_RETURN_IF_ERROR(store::SaveOrder(s, order));
  OMS_RETURN_IF_ERROR(store::AppendModification(s, order.order_id(), modification));
  v1::OrderUpdated event;
  event.set_order_id(order.order_id());
  event.set_version(order.version());
  *event.mutable_changes() = modification.changes();
  event.set_actor(modification.actor());
  *event.mutable_order() = order;
  OMS_RETURN_IF_ERROR(host_->outbox()
                          .Append(s, order.order_id(), event, v1::Channel_Name(order.channel()))
                          .status());
  if (!refund.has_value()) return absl::OkStatus();
  return AppendPaymentEvents(*host_, s, order, &*refund, modification.actor());
}

absl::StatusOr<v1::Order> OrderChanges::SubstituteLine(const v1::SubstituteLineRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Required(request.from_sku(), "from_sku");
  if (errors.Required(request.to_sku(), "to_sku")) {
    errors.Check(request.to_sku() != request.from_sku(), "to_sku", "must differ from from_sku");
  }
  errors.MaxLength(request.product_name(), kMaxNameChars, "product_name");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  errors.MaxLength(request.reason(), kMaxNotesChars, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "SubstituteLine", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Order order, store::LoadOrder(s, request.order_id()));
        v1::OrderStatus status = order.status() == v1::ON_HOLD ? order.held_from() : order.status();
        if (!IsEditable(order) && status != v1::ALLOCATED && status != v1::BACKORDERED) {
          return absl::FailedPreconditionError(
              absl::StrCat("order ", order.order_id(), " is ", v1::OrderStatus_Name(order.status()),
                           ": lines can be substituted only until the order ships"));
        }
        std::string old_lines = DescribeLines(order.lines());
        const int64_t old_total = order.total().minor_units();
        v1::OrderLine* target = nullptr;
        for (v1::OrderLine& line : *order.mutable_lines()) {
          if (line.sku() == request.from_sku()) target = &line;
          if (line.sku() == request.to_sku()) {
            return absl::InvalidArgumentError(
                absl::StrCat("to_sku: ", request.to_sku(), " is already a line of the order"));
          }
        }
        if (target == nullptr) {
          return absl::NotFoundError(
              absl::StrCat("order ", order.order_id(), " has no line ", request.from_sku()));
        }
        target->set_sku(request.to_sku());
        target->set_product_name(request.product_name());
        if (request.has_unit_price()) *target->mutable_unit_price() = request.unit_price();
        FieldErrors line_errors;
        CheckLines(order.lines(), order.currency_code(), "lines", line_errors);
        OMS_RETURN_IF_ERROR(line_errors.ToStatus());
        OMS_RETURN_IF_ERROR(PriceOrder(order));
        v1::Modification modification;
        v1::FieldChange* change = modification.add_changes();
        change->set_field("lines");
        change->set_old_value(old_lines);
        change->set_new_value(DescribeLines(order.lines()));
        OMS_RETURN_IF_ERROR(
            Record(s, order, modification, request.actor(), request.reason(), old_total));
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

}  // namespace oms::order
