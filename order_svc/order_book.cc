#include "order_svc/order_book.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "order_svc/order_pricing.h"
#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {
namespace {

using google::protobuf::util::TimeUtil;

constexpr PageLimits kOrderPages = {.default_size = 50, .max_size = 500};

// The create request as it identifies an order: without the idempotency key and actor, so a
// channel resending the same order under a new key is still recognised.
std::string CreateFingerprint(v1::CreateOrderRequest request) {
  request.clear_idempotency_key();
  request.clear_actor();
  std::string bytes;
  request.SerializeToString(&bytes);
  return crypto::Digest(bytes);  // compared only; not the customer's data in clear
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
  if (request.has_promised_delivery()) {
    *order.mutable_promised_delivery() = request.promised_delivery();
  }
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
        OMS_RETURN_IF_ERROR(
            host_->outbox()
                .Append(s, order.order_id(), event, v1::Channel_Name(order.channel()))
                .status());
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
  query.customer_id = request.customer_id();
  if (request.has_created_from()) {
    query.created_from_us = TimeUtil::TimestampToMicroseconds(request.created_from());
  }
  if (request.has_created_to()) {
    query.created_to_us = TimeUtil::TimestampToMicroseconds(request.created_to());
  }
  ListPage page = ListPage::Read(request, errors, kOrderPages);
  query.after = page.CreatedAfter(errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  query.limit = page.fetch_limit();

  v1::ListOrdersResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Order> orders, store::ListOrders(s, query));
    response.set_next_page_token(page.Take(
        orders, response.mutable_orders(),
        [](const v1::Order& o) { return ListPage::CreatedKey(o.created_at(), o.order_id()); }));
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::order
