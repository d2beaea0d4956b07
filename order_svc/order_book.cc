#include "order_svc/order_book.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "order_svc/order_pricing.h"
#include "order_svc/order_state_machine.h"
#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "platform/money.h"
#include "platform/page_token.h"
#include "platform/proto_rows.h"
#include "platform/status.h"

namespace oms::order {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

std::string ActorOrSystem(const std::string& actor) { return actor.empty() ? "system" : actor; }

// The create request as it identifies an order: without the idempotency key and actor, so a
// channel resending the same order under a new key is still recognised.
std::string CreateFingerprint(v1::CreateOrderRequest request) {
  request.clear_idempotency_key();
  request.clear_actor();
  std::string bytes;
  request.SerializeToString(&bytes);
  return bytes;
}

absl::Status RequireOrderId(const std::string& order_id) {
  FieldErrors errors;
  errors.Required(order_id, "order_id");
  errors.MaxLength(order_id, 64, "order_id");
  return errors.ToStatus();
}

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
        "order ", order.order_id(), " is ", status, ": after allocation it is changed with "
        "oms.orchestrator.v1.OrchestratorService/AmendOrder, which also re-allocates its stock "
        "and re-makes its labels"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "order ", order.order_id(), " is ", status,
      IsAmendable(order) ? ": orders can be changed only before allocation"
                         : ": it has shipped and can no longer be changed"));
}

// A page position is the last order's creation time and id (the keyset, newest first).
std::string PagePosition(const v1::Order& last) {
  return absl::StrCat(TimeUtil::TimestampToMicroseconds(last.created_at()), ":", last.order_id());
}

absl::Status ParsePagePosition(const std::string& position, store::OrderQuery& query) {
  std::pair<std::string, std::string> parts = absl::StrSplit(position, absl::MaxSplits(':', 1));
  int64_t created_us;
  if (!absl::SimpleAtoi(parts.first, &created_us) || parts.second.empty()) {
    return absl::InvalidArgumentError("page_token: is not a token from ListOrders");
  }
  query.after = std::make_pair(created_us, parts.second);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Order> OrderBook::CreateOrder(const v1::CreateOrderRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateCreateOrder(request));
  if (request.has_requested_delivery_date()) {
    FieldErrors errors;
    CheckDeliveryDate(request.requested_delivery_date(), host_->clock().Now(),
                      "requested_delivery_date", errors);
    OMS_RETURN_IF_ERROR(errors.ToStatus());
  }
  v1::Order order;
  order.set_channel(request.channel());
  order.set_external_reference(request.external_reference());
  order.set_status(v1::RECEIVED);
  *order.mutable_customer() = request.customer();
  order.mutable_customer()->set_phone(NormalizePhone(request.customer().phone()));
  *order.mutable_lines() = request.lines();
  order.set_currency_code(request.currency_code());
  *order.mutable_discount() = request.discount();
  *order.mutable_shipping_fee() = request.shipping_fee();
  order.set_tax_rate_bp(request.tax_rate_bp());
  order.set_payment_method(request.payment_method());
  order.mutable_payment()->set_status(v1::Payment::UNPAID);
  *order.mutable_payment()->mutable_amount() = Money::Zero(request.currency_code()).ToProto();
  order.set_notes(request.notes());
  order.set_urgency(request.urgency());
  if (request.has_requested_delivery_date()) {
    *order.mutable_requested_delivery_date() = request.requested_delivery_date();
  }
  order.set_ship_complete(request.ship_complete());
  order.set_workflow_managed(request.workflow_managed());
  OMS_RETURN_IF_ERROR(PriceOrder(order));

  std::string fingerprint = CreateFingerprint(request);
  v1::Order answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CreateOrder", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(
            std::optional<store::ExistingOrder> existing,
            store::FindByExternalReference(s, request.channel(), request.external_reference()));
        if (existing.has_value()) {
          if (existing->fingerprint != fingerprint) {
            return absl::AlreadyExistsError(absl::StrCat(
                "external_reference \"", request.external_reference(), "\" of channel ",
                v1::Channel_Name(request.channel()), " is already order ",
                existing->order.order_id(), " with different contents"));
          }
          answer = existing->order;  // the same order sent again
          return absl::OkStatus();
        }
        absl::Time now = host_->clock().Now();
        order.set_order_id(host_->ids().Next("ord"));
        order.set_version(1);
        *order.mutable_created_at() = ToProtoTime(now);
        *order.mutable_updated_at() = ToProtoTime(now);
        *order.mutable_payment()->mutable_updated_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::InsertOrder(s, order, fingerprint));
        v1::StatusChange created;
        created.set_to_status(v1::RECEIVED);
        created.set_actor(ActorOrSystem(request.actor()));
        created.set_reason("created");
        *created.mutable_changed_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::AppendStatusChange(s, order.order_id(), created));
        v1::OrderCreated event;
        *event.mutable_order() = order;
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), event).status());
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Order> OrderBook::GetOrder(const v1::GetOrderRequest& request) {
  OMS_RETURN_IF_ERROR(RequireOrderId(request.order_id()));
  v1::Order order;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(order, store::LoadOrder(s, request.order_id()));
    return absl::OkStatus();
  }));
  return order;
}

absl::StatusOr<v1::ListOrdersResponse> OrderBook::ListOrders(const v1::ListOrdersRequest& request) {
  FieldErrors errors;
  store::OrderQuery query;
  for (int status : request.statuses()) {
    errors.Check(status != v1::ORDER_STATUS_UNSPECIFIED, "statuses", "contains UNSPECIFIED");
    query.statuses.push_back(status);
  }
  for (int channel : request.channels()) {
    errors.Check(channel != v1::CHANNEL_UNSPECIFIED, "channels", "contains UNSPECIFIED");
    query.channels.push_back(channel);
  }
  if (!request.customer_phone().empty()) {
    CheckPhone(request.customer_phone(), "customer_phone", errors);
    query.customer_phone = NormalizePhone(request.customer_phone());
  }
  query.customer_email = absl::AsciiStrToLower(request.customer_email());
  if (request.has_created_from()) {
    query.created_from_us = TimeUtil::TimestampToMicroseconds(request.created_from());
  }
  if (request.has_created_to()) {
    query.created_to_us = TimeUtil::TimestampToMicroseconds(request.created_to());
  }
  errors.Check(request.page_size() >= 0 && request.page_size() <= kMaxPageSize, "page_size",
               absl::StrCat("must be between 0 and ", kMaxPageSize));
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  if (!request.page_token().empty()) {
    OMS_ASSIGN_OR_RETURN(std::string position, DecodePageToken(request.page_token(), request));
    OMS_RETURN_IF_ERROR(ParsePagePosition(position, query));
  }
  int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  query.limit = page_size + 1;  // one extra tells whether another page exists

  v1::ListOrdersResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Order> orders, store::ListOrders(s, query));
    bool more = static_cast<int>(orders.size()) > page_size;
    if (more) orders.pop_back();
    for (v1::Order& order : orders) *response.add_orders() = std::move(order);
    if (more) {
      response.set_next_page_token(
          EncodePageToken(PagePosition(response.orders(response.orders_size() - 1)), request));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetOrderHistoryResponse> OrderBook::GetOrderHistory(
    const v1::GetOrderHistoryRequest& request) {
  OMS_RETURN_IF_ERROR(RequireOrderId(request.order_id()));
  v1::GetOrderHistoryResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::LoadOrder(s, request.order_id()).status());
    OMS_ASSIGN_OR_RETURN(std::vector<v1::StatusChange> changes,
                         store::StatusChanges(s, request.order_id()));
    for (auto& change : changes) *response.add_changes() = std::move(change);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Order> OrderBook::UpdateOrder(const v1::UpdateOrderRequest& request) {
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
    CheckDeliveryDate(request.requested_delivery_date(), host_->clock().Now(),
                      "requested_delivery_date", errors);
  }
  errors.Check(request.has_customer_name() || request.has_customer_phone() ||
                   request.has_customer_email() || request.has_shipping_address() ||
                   request.has_lines() || request.has_notes() ||
                   request.urgency() != v1::URGENCY_UNSPECIFIED ||
                   request.has_requested_delivery_date(),
               "update", "sets no field: nothing to change");
  OMS_RETURN_IF_ERROR(errors.ToStatus());

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
        v1::Modification modification;
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
        if (modification.changes_size() == 0) {
          answer = order;  // every value was already as requested
          return absl::OkStatus();
        }
        absl::Time now = host_->clock().Now();
        order.set_version(order.version() + 1);
        *order.mutable_updated_at() = ToProtoTime(now);
        modification.set_version(order.version());
        modification.set_actor(ActorOrSystem(request.actor()));
        modification.set_reason(request.reason());
        *modification.mutable_modified_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::SaveOrder(s, order));
        OMS_RETURN_IF_ERROR(store::AppendModification(s, order.order_id(), modification));
        v1::OrderUpdated event;
        event.set_order_id(order.order_id());
        event.set_version(order.version());
        *event.mutable_changes() = modification.changes();
        event.set_actor(modification.actor());
        *event.mutable_order() = order;
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), event).status());
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::GetModificationHistoryResponse> OrderBook::GetModificationHistory(
    const v1::GetModificationHistoryRequest& request) {
  OMS_RETURN_IF_ERROR(RequireOrderId(request.order_id()));
  v1::GetModificationHistoryResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::LoadOrder(s, request.order_id()).status());
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Modification> modifications,
                         store::Modifications(s, request.order_id()));
    for (auto& m : modifications) *response.add_modifications() = std::move(m);
    return absl::OkStatus();
  }));
  return response;
}

absl::Status OrderBook::ApplyTransition(Session& s, v1::Order& order, v1::OrderStatus to,
                                        const std::string& actor, const std::string& reason) {
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
  OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), event).status());
  if (to == v1::CANCELLED) {
    v1::OrderCancelled cancelled;
    cancelled.set_order_id(order.order_id());
    cancelled.set_from_status(from);
    cancelled.set_reason(reason);
    cancelled.set_actor(change.actor());
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), cancelled).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Order> OrderBook::TransitionOrder(const v1::TransitionOrderRequest& request) {
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

absl::StatusOr<v1::Order> OrderBook::CancelOrder(const v1::CancelOrderRequest& request) {
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
              "order ", answer.order_id(), " is run by the orchestrator's workflow: cancel it with "
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

absl::StatusOr<v1::Order> OrderBook::SubstituteLine(const v1::SubstituteLineRequest& request) {
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
        absl::Time now = host_->clock().Now();
        order.set_version(order.version() + 1);
        *order.mutable_updated_at() = ToProtoTime(now);
        v1::Modification modification;
        modification.set_version(order.version());
        modification.set_actor(ActorOrSystem(request.actor()));
        modification.set_reason(request.reason());
        *modification.mutable_modified_at() = ToProtoTime(now);
        v1::FieldChange* change = modification.add_changes();
        change->set_field("lines");
        change->set_old_value(old_lines);
        change->set_new_value(DescribeLines(order.lines()));
        OMS_RETURN_IF_ERROR(store::SaveOrder(s, order));
        OMS_RETURN_IF_ERROR(store::AppendModification(s, order.order_id(), modification));
        v1::OrderUpdated event;
        event.set_order_id(order.order_id());
        event.set_version(order.version());
        *event.mutable_changes() = modification.changes();
        event.set_actor(modification.actor());
        *event.mutable_order() = order;
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), event).status());
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Order> OrderBook::RecordPayment(const v1::RecordPaymentRequest& request) {
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
              return absl::InvalidArgumentError(absl::StrCat(
                  "amount: must equal the order total ",
                  Money::FromProto(order.total())->ToString(), " (no partial payments)"));
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
              return absl::InvalidArgumentError(
                  "amount: must be positive and at most the amount paid");
            }
            break;
          default:
            break;
        }
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
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), event).status());
        answer = order;
        return absl::OkStatus();
      }));
  return answer;
}

}  // namespace oms::order
