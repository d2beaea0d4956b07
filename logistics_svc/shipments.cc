#include "logistics_svc/shipments.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "logistics_svc/logistics_store.h"
#include "logistics_svc/parcels.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {
namespace {

using google::protobuf::util::TimeUtil;

}  // namespace

absl::StatusOr<v1::Shipment> Shipments::StoreNewShipment(Session& s, v1::Shipment shipment,
                                                         const v1::ShippingOption& option) {
  absl::Time now = host_->clock().Now();
  shipment.set_shipment_id(host_->ids().Next("shp"));
  // Tracking numbers: the carrier's id and a unique, time-ordered suffix.
  shipment.set_tracking_number(
      absl::StrCat(absl::AsciiStrToUpper(option.carrier_id()), shipment.shipment_id().substr(4)));
  shipment.set_carrier_id(option.carrier_id());
  shipment.set_service_level(option.service_level());
  *shipment.mutable_price() = option.price();
  *shipment.mutable_promised_delivery() = option.promised_delivery();
  *shipment.mutable_eta() = option.promised_delivery();
  shipment.set_state(v1::CREATED);
  shipment.set_progress(v1::CREATED);
  *shipment.mutable_created_at() = ToProtoTime(now);
  *shipment.mutable_updated_at() = shipment.created_at();
  OMS_RETURN_IF_ERROR(store::InsertShipment(s, shipment));
  v1::ShipmentCreated event;
  *event.mutable_shipment() = shipment;
  OMS_RETURN_IF_ERROR(host_->outbox().Append(s, shipment.shipment_id(), event).status());
  return shipment;
}

absl::StatusOr<v1::Shipment> Shipments::CreateShipment(const v1::CreateShipmentRequest& request) {
  FieldErrors errors;
  if (errors.Required(request.order_id(), "order_id"))
    errors.MaxLength(request.order_id(), 64, "order_id");
  if (errors.Required(request.warehouse_id(), "warehouse_id")) {
    errors.MaxLength(request.warehouse_id(), 64, "warehouse_id");
  }
  CheckParcel(request.origin_region(), request.destination_region(), request.weight_g(),
              request.volume_cm3(), request.urgency(), errors);
  if (errors.Check(!request.lines().empty() && request.lines_size() <= 500, "lines",
                   "1 to 500 lines are required")) {
    for (int i = 0; i < request.lines_size(); ++i) {
      errors.Required(request.lines(i).sku(), IndexedField("lines", i, "sku"));
      errors.Check(request.lines(i).quantity() > 0, IndexedField("lines", i, "quantity"),
                   "must be > 0");
    }
  }
  errors.Check(
      request.carrier_id().empty() == (request.service_level() == v1::SERVICE_LEVEL_UNSPECIFIED),
      "carrier_id", "and service_level go together: both set, or both empty for auto");
  if (request.has_ship_to()) CheckShipTo(request.ship_to(), request.destination_region(), errors);
  errors.MaxLength(request.reference(), 64, "reference");
  OMS_RETURN_IF_ERROR(errors.ToStatus());

  v1::Shipment answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CreateShipment", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::optional<v1::Shipment> existing,
                             store::FindShipment(s, request.order_id(), request.warehouse_id()));
        if (existing.has_value()) {  // idempotent per (order, warehouse)
          answer = *existing;
          return absl::OkStatus();
        }
        v1::QuoteShipmentRequest quote;
        quote.set_origin_region(request.origin_region());
        quote.set_destination_region(request.destination_region());
        quote.set_weight_g(request.weight_g());
        quote.set_volume_cm3(request.volume_cm3());
        quote.set_urgency(request.urgency());
        quote.set_cod(request.cod());
        *quote.mutable_deadline() = request.deadline();
        if (!request.has_deadline()) quote.clear_deadline();
        OMS_ASSIGN_OR_RETURN(v1::ShippingOption option,
                             choice_->ChooseFor(s, ParcelOf(quote, host_->clock().Now()),
                                                request.carrier_id(), request.service_level()));
        // The customer was promised a date: that is what this parcel is late against.
        if (request.has_customer_promise()) {
          *option.mutable_promised_delivery() = request.customer_promise();
        }
        v1::Shipment shipment;
        shipment.set_order_id(request.order_id());
        shipment.set_warehouse_id(request.warehouse_id());
        shipment.set_origin_region(request.origin_region());
        shipment.set_destination_region(request.destination_region());
        *shipment.mutable_lines() = request.lines();
        shipment.set_weight_g(request.weight_g());
        shipment.set_volume_cm3(request.volume_cm3());
        shipment.set_cod(request.cod());
        if (request.has_ship_to()) *shipment.mutable_ship_to() = request.ship_to();
        shipment.set_reference(request.reference());
        OMS_ASSIGN_OR_RETURN(answer, StoreNewShipment(s, shipment, option));
        return absl::OkStatus();
      }));
  return answer;
}

absl::Status Shipments::SaveWithStateEvent(Session& s, const v1::Shipment& shipment,
                                           v1::ShipmentState before,
                                           const v1::TrackingEvent* cause) {
  OMS_RETURN_IF_ERROR(store::SaveShipment(s, shipment));
  if (shipment.state() == before) return absl::OkStatus();
  v1::ShipmentStatusChanged event;
  event.set_shipment_id(shipment.shipment_id());
  event.set_order_id(shipment.order_id());
  event.set_from_state(before);
  event.set_to_state(shipment.state());
  if (cause != nullptr) *event.mutable_cause() = *cause;
  return host_->outbox().Append(s, shipment.shipment_id(), event).status();
}

absl::StatusOr<v1::Shipment> Shipments::CancelShipment(const v1::CancelShipmentRequest& request) {
  FieldErrors errors;
  errors.Required(request.shipment_id(), "shipment_id");
  errors.MaxLength(request.reason(), 500, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Shipment answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CancelShipment", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, store::LoadShipment(s, request.shipment_id()));
        if (answer.state() == v1::CANCELLED) return absl::OkStatus();  // harmless twice
        if (answer.progress() != v1::CREATED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "shipment ", answer.shipment_id(), " is ", v1::ShipmentState_Name(answer.state()),
              ": only shipments not yet picked up can be cancelled"));
        }
        v1::ShipmentState before = answer.state();
        answer.set_state(v1::CANCELLED);
        *answer.mutable_updated_at() = ToProtoTime(host_->clock().Now());
        OMS_RETURN_IF_ERROR(SaveWithStateEvent(s, answer, before, nullptr));
        v1::ShipmentCancelled event;
        *event.mutable_shipment() = answer;
        event.set_reason(request.reason());
        return host_->outbox().Append(s, answer.shipment_id(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::Shipment> Shipments::GetShipment(const v1::GetShipmentRequest& request) {
  if (request.shipment_id().empty() == request.tracking_number().empty()) {
    return absl::InvalidArgumentError("shipment_id: give either shipment_id or tracking_number");
  }
  v1::Shipment shipment;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(shipment, request.shipment_id().empty()
                                       ? store::LoadShipmentByTracking(s, request.tracking_number())
                                       : store::LoadShipment(s, request.shipment_id()));
    return absl::OkStatus();
  }));
  return shipment;
}

absl::StatusOr<v1::ListShipmentsResponse> Shipments::ListShipments(
    const v1::ListShipmentsRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  store::ShipmentQuery query;
  query.after = page.CreatedAfter(errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  query.order_id = request.order_id();
  query.carrier_id = request.carrier_id();
  for (int state : request.states()) query.states.push_back(state);
  if (request.has_created_from()) {
    query.created_from_us = TimeUtil::TimestampToMicroseconds(request.created_from());
  }
  if (request.has_created_to()) {
    query.created_to_us = TimeUtil::TimestampToMicroseconds(request.created_to());
  }
  query.limit = page.fetch_limit();
  v1::ListShipmentsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> rows, store::ListShipments(s, query));
    response.set_next_page_token(
        page.Take(rows, response.mutable_shipments(), [](const v1::Shipment& last) {
          return ListPage::CreatedKey(last.created_at(), last.shipment_id());
        }));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ReshipResponse> Shipments::Reship(const v1::ReshipRequest& request) {
  FieldErrors errors;
  errors.Required(request.shipment_id(), "shipment_id");
  if (errors.Required(request.reason(), "reason"))
    errors.MaxLength(request.reason(), 500, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ReshipResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "Reship", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Shipment original, store::LoadShipment(s, request.shipment_id()));
        if (original.state() == v1::CANCELLED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "shipment ", original.shipment_id(), " was cancelled: create a shipment instead"));
        }
        absl::Time now = host_->clock().Now();
        OMS_ASSIGN_OR_RETURN(
            v1::ShippingOption option,
            choice_->ChooseFor(s, ParcelOf(QuoteRequestOf(original, v1::NORMAL), now), "",
                               v1::SERVICE_LEVEL_UNSPECIFIED));
        v1::Shipment replacement;
        replacement.set_order_id(original.order_id());
        replacement.set_warehouse_id(original.warehouse_id());
        replacement.set_origin_region(original.origin_region());
        replacement.set_destination_region(original.destination_region());
        *replacement.mutable_lines() = original.lines();
        replacement.set_weight_g(original.weight_g());
        replacement.set_volume_cm3(original.volume_cm3());
        replacement.set_cod(original.cod());
        replacement.set_reship_of(original.shipment_id());
        replacement.set_reship_reason(request.reason());
        OMS_ASSIGN_OR_RETURN(replacement, StoreNewShipment(s, replacement, option));
        original.add_reshipped_as(replacement.shipment_id());
        *original.mutable_updated_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::SaveShipment(s, original));
        v1::ShipmentReshipped event;
        *event.mutable_original() = original;
        *event.mutable_reshipment() = replacement;
        event.set_reason(request.reason());
        OMS_RETURN_IF_ERROR(host_->outbox().Append(s, original.shipment_id(), event).status());
        *answer.mutable_original() = original;
        *answer.mutable_reshipment() = replacement;
        return absl::OkStatus();
      }));
  return answer;
}

}  // namespace oms::logistics
