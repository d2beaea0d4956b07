#include "logistics_svc/shipping.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "logistics_svc/logistics_store.h"
#include "logistics_svc/tracking_rules.h"
#include "platform/page_token.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

namespace oms::logistics {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

void CheckParcel(const std::string& origin, const std::string& destination, int64_t weight_g,
                 int64_t volume_cm3, v1::Urgency urgency, FieldErrors& errors) {
  if (errors.Required(origin, "origin_region")) errors.MaxLength(origin, 64, "origin_region");
  if (errors.Required(destination, "destination_region")) {
    errors.MaxLength(destination, 64, "destination_region");
  }
  errors.Check(weight_g > 0 && weight_g <= 1'000'000'000, "weight_g", "must be positive");
  errors.Check(volume_cm3 >= 0 && volume_cm3 <= 1'000'000'000, "volume_cm3", "must be >= 0");
  errors.Check(v1::Urgency_IsValid(urgency), "urgency", "is not a known urgency");
}

// The label's recipient: who and where, in the destination region.
void CheckShipTo(const v1::ShipTo& to, const std::string& destination, FieldErrors& errors) {
  errors.MaxLength(to.name(), 100, "ship_to.name");
  errors.MaxLength(to.phone(), 32, "ship_to.phone");
  errors.MaxLength(to.country_code(), 2, "ship_to.country_code");
  errors.Check(to.region().empty() || to.region() == destination, "ship_to.region",
               "must be the destination_region");
  errors.MaxLength(to.city(), 64, "ship_to.city");
  errors.MaxLength(to.postal_code(), 16, "ship_to.postal_code");
  errors.MaxLength(to.street(), 200, "ship_to.street");
}

Parcel ParcelOf(const v1::QuoteShipmentRequest& r, absl::Time now) {
  Parcel parcel;
  parcel.origin_region = r.origin_region();
  parcel.destination_region = r.destination_region();
  parcel.weight_g = r.weight_g();
  parcel.volume_cm3 = r.volume_cm3();
  parcel.urgency = r.urgency();
  parcel.cod = r.cod();
  if (r.has_deadline()) parcel.deadline = FromProtoTime(r.deadline());
  parcel.ship_time = now;
  return parcel;
}

v1::QuoteShipmentRequest QuoteRequestOf(const v1::Shipment& shipment, v1::Urgency urgency) {
  v1::QuoteShipmentRequest q;
  q.set_origin_region(shipment.origin_region());
  q.set_destination_region(shipment.destination_region());
  q.set_weight_g(shipment.weight_g());
  q.set_volume_cm3(shipment.volume_cm3());
  q.set_cod(shipment.cod());
  q.set_urgency(urgency);
  return q;
}

}  // namespace

// ---------------------------------------------------------------------- quote and choice

absl::StatusOr<v1::QuoteShipmentResponse> Shipping::QuoteShipment(
    const v1::QuoteShipmentRequest& request) {
  FieldErrors errors;
  CheckParcel(request.origin_region(), request.destination_region(), request.weight_g(),
              request.volume_cm3(), request.urgency(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::QuoteShipmentResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers, store::ListCarriers(s, true));
    OMS_ASSIGN_OR_RETURN(OnTimeRates history, store::OnTimeHistory(s));
    Quote quote = QuoteParcel(carriers, ParcelOf(request, host_->clock().Now()), history);
    for (v1::ShippingOption& o : quote.options) *response.add_options() = std::move(o);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::SelectCarrierResponse> Shipping::SelectCarrier(
    const v1::QuoteShipmentRequest& request) {
  FieldErrors errors;
  CheckParcel(request.origin_region(), request.destination_region(), request.weight_g(),
              request.volume_cm3(), request.urgency(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  absl::StatusOr<v1::SelectCarrierResponse> response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers, store::ListCarriers(s, true));
    OMS_ASSIGN_OR_RETURN(OnTimeRates history, store::OnTimeHistory(s));
    response =
        ChooseCarrier(QuoteParcel(carriers, ParcelOf(request, host_->clock().Now()), history));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ShippingOption> Shipping::ChooseFor(Session& s, const Parcel& parcel,
                                                       const std::string& carrier_id,
                                                       v1::ServiceLevel level) {
  OMS_ASSIGN_OR_RETURN(OnTimeRates history, store::OnTimeHistory(s));
  if (carrier_id.empty()) {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Carrier> carriers, store::ListCarriers(s, true));
    OMS_ASSIGN_OR_RETURN(v1::SelectCarrierResponse choice,
                         ChooseCarrier(QuoteParcel(carriers, parcel, history)));
    return choice.choice();
  }
  OMS_ASSIGN_OR_RETURN(v1::Carrier carrier, store::LoadCarrier(s, carrier_id));
  if (!carrier.active()) {
    return absl::FailedPreconditionError(absl::StrCat("carrier ", carrier_id, " is inactive"));
  }
  Quote quote = QuoteParcel({carrier}, parcel, history);
  for (const v1::ShippingOption& option : quote.options) {
    if (option.service_level() == level) return option;
  }
  bool offered = false;
  for (const v1::ServiceLevelRate& rate : carrier.service_levels()) {
    offered = offered || rate.level() == level;
  }
  if (!offered) {
    return absl::FailedPreconditionError(
        absl::StrCat(carrier_id, " has no ", v1::ServiceLevel_Name(level), " service"));
  }
  std::string why;
  for (const std::string& refusal : quote.refusals) absl::StrAppend(&why, "; ", refusal);
  return absl::FailedPreconditionError(absl::StrCat(
      "carrier ", carrier_id, " ", v1::ServiceLevel_Name(level), " cannot take this parcel", why));
}

// ---------------------------------------------------------------------------- shipments

absl::StatusOr<v1::Shipment> Shipping::StoreNewShipment(Session& s, v1::Shipment shipment,
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

absl::StatusOr<v1::Shipment> Shipping::CreateShipment(const v1::CreateShipmentRequest& request) {
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
                             ChooseFor(s, ParcelOf(quote, host_->clock().Now()),
                                       request.carrier_id(), request.service_level()));
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

absl::Status Shipping::SaveWithStateEvent(Session& s, const v1::Shipment& shipment,
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

absl::StatusOr<v1::Shipment> Shipping::CancelShipment(const v1::CancelShipmentRequest& request) {
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

absl::StatusOr<v1::Shipment> Shipping::GetShipment(const v1::GetShipmentRequest& request) {
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

absl::StatusOr<v1::ListShipmentsResponse> Shipping::ListShipments(
    const v1::ListShipmentsRequest& request) {
  FieldErrors errors;
  errors.Check(request.page_size() >= 0 && request.page_size() <= kMaxPageSize, "page_size",
               "must be between 0 and 1000");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::ShipmentQuery query;
  query.order_id = request.order_id();
  query.carrier_id = request.carrier_id();
  for (int state : request.states()) query.states.push_back(state);
  if (request.has_created_from()) {
    query.created_from_us = TimeUtil::TimestampToMicroseconds(request.created_from());
  }
  if (request.has_created_to()) {
    query.created_to_us = TimeUtil::TimestampToMicroseconds(request.created_to());
  }
  if (!request.page_token().empty()) {
    OMS_ASSIGN_OR_RETURN(std::string position, DecodePageToken(request.page_token(), request));
    std::pair<std::string, std::string> key = absl::StrSplit(position, absl::MaxSplits(':', 1));
    int64_t created_us;
    if (!absl::SimpleAtoi(key.first, &created_us)) {
      return absl::InvalidArgumentError("page_token: is not a token from ListShipments");
    }
    query.after = std::make_pair(created_us, key.second);
  }
  int page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  query.limit = page_size + 1;
  v1::ListShipmentsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> rows, store::ListShipments(s, query));
    bool more = static_cast<int>(rows.size()) > page_size;
    if (more) rows.pop_back();
    for (v1::Shipment& sh : rows) *response.add_shipments() = std::move(sh);
    if (more) {
      const v1::Shipment& last = response.shipments(response.shipments_size() - 1);
      response.set_next_page_token(
          EncodePageToken(absl::StrCat(TimeUtil::TimestampToMicroseconds(last.created_at()), ":",
                                       last.shipment_id()),
                          request));
    }
    return absl::OkStatus();
  }));
  return response;
}

// ----------------------------------------------------------------------------- tracking

absl::StatusOr<v1::RecordTrackingEventResponse> Shipping::Track(Session& s,
                                                                v1::TrackingEvent event) {
  v1::RecordTrackingEventResponse response;
  OMS_ASSIGN_OR_RETURN(v1::Shipment shipment,
                       store::LoadShipmentByTracking(s, event.tracking_number()));
  *event.mutable_recorded_at() = ToProtoTime(host_->clock().Now());
  OMS_ASSIGN_OR_RETURN(bool inserted, store::InsertTrackingEvent(s, shipment.carrier_id(), event));
  if (!inserted) {
    response.set_duplicate(true);
    *response.mutable_shipment() = shipment;
    return response;
  }
  v1::ShipmentState before = shipment.state();
  bool changed = ApplyTrackingEvent(event, shipment);
  *shipment.mutable_updated_at() = event.recorded_at();
  OMS_RETURN_IF_ERROR(SaveWithStateEvent(s, shipment, before, &event));
  if (changed && shipment.state() == v1::DELIVERED) {
    v1::ShipmentDelivered delivered;
    *delivered.mutable_shipment() = shipment;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, shipment.shipment_id(), delivered).status());
  }
  response.set_state_changed(changed);
  *response.mutable_shipment() = shipment;
  return response;
}

absl::StatusOr<v1::RecordTrackingEventResponse> Shipping::RecordTrackingEvent(
    const v1::TrackingEvent& event) {
  FieldErrors errors;
  errors.Required(event.tracking_number(), "tracking_number");
  if (errors.Required(event.carrier_event_id(), "carrier_event_id")) {
    errors.MaxLength(event.carrier_event_id(), 128, "carrier_event_id");
  }
  errors.Check(event.code() != v1::TrackingEvent::CODE_UNSPECIFIED &&
                   v1::TrackingEvent::Code_IsValid(event.code()),
               "code", "is required");
  errors.Check(event.has_occurred_at(), "occurred_at", "is required");
  errors.MaxLength(event.location(), 200, "location");
  errors.MaxLength(event.note(), 500, "note");
  errors.MaxLength(event.recipient_name(), 100, "recipient_name");
  errors.MaxLength(event.signature_reference(), 128, "signature_reference");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::RecordTrackingEventResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(response, Track(s, event));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetTrackingResponse> Shipping::GetTracking(
    const v1::GetTrackingRequest& request) {
  v1::GetTrackingResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(*response.mutable_shipment(),
                         store::LoadShipmentByTracking(s, request.tracking_number()));
    OMS_ASSIGN_OR_RETURN(std::vector<v1::TrackingEvent> timeline,
                         store::Timeline(s, request.tracking_number()));
    for (v1::TrackingEvent& e : timeline) *response.add_timeline() = std::move(e);
    *response.mutable_eta() = response.shipment().eta();
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Shipment> Shipping::ConfirmPickup(const v1::ConfirmPickupRequest& request) {
  FieldErrors errors;
  errors.Required(request.shipment_id(), "shipment_id");
  errors.MaxLength(request.actor(), 100, "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Shipment answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "ConfirmPickup", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Shipment shipment, store::LoadShipment(s, request.shipment_id()));
        if (shipment.state() == v1::CANCELLED) {
          return absl::FailedPreconditionError(
              absl::StrCat("shipment ", shipment.shipment_id(), " was cancelled: nothing to pick up"));
        }
        v1::TrackingEvent event;
        event.set_tracking_number(shipment.tracking_number());
        // One pickup per shipment: confirming twice records it once.
        event.set_carrier_event_id(absl::StrCat("manual-pickup:", shipment.shipment_id()));
        event.set_code(v1::TrackingEvent::PICKED_UP);
        event.set_note(request.actor().empty() ? "handed to the carrier"
                                               : absl::StrCat("handed to the carrier (",
                                                              request.actor(), ")"));
        *event.mutable_occurred_at() =
            request.has_picked_up_at() ? request.picked_up_at() : ToProtoTime(host_->clock().Now());
        OMS_ASSIGN_OR_RETURN(v1::RecordTrackingEventResponse tracked, Track(s, event));
        answer = tracked.shipment();
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Shipment> Shipping::ConfirmDelivery(const v1::ConfirmDeliveryRequest& request) {
  FieldErrors errors;
  errors.Required(request.shipment_id(), "shipment_id");
  if (errors.Required(request.recipient_name(), "recipient_name")) {
    errors.MaxLength(request.recipient_name(), 100, "recipient_name");
  }
  errors.MaxLength(request.signature_reference(), 128, "signature_reference");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Shipment answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "ConfirmDelivery", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Shipment shipment, store::LoadShipment(s, request.shipment_id()));
        if (shipment.state() == v1::CANCELLED) {
          return absl::FailedPreconditionError(
              absl::StrCat("shipment ", shipment.shipment_id(), " was cancelled"));
        }
        v1::TrackingEvent event;
        event.set_tracking_number(shipment.tracking_number());
        event.set_carrier_event_id(absl::StrCat("manual-delivery:", shipment.shipment_id()));
        event.set_code(v1::TrackingEvent::DELIVERED);
        event.set_note("delivery confirmed by hand");
        event.set_recipient_name(request.recipient_name());
        event.set_signature_reference(request.signature_reference());
        *event.mutable_occurred_at() =
            request.has_delivered_at() ? request.delivered_at() : ToProtoTime(host_->clock().Now());
        OMS_ASSIGN_OR_RETURN(v1::RecordTrackingEventResponse tracked, Track(s, event));
        answer = tracked.shipment();
        return absl::OkStatus();
      }));
  return answer;
}

// ------------------------------------------------------------------- detection, reship

absl::StatusOr<v1::RunDetectionResponse> Shipping::RunDetection() {
  v1::RunDetectionResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> late,
                         store::DelayCandidates(s, now - detection_.delay_grace));
    for (v1::Shipment& shipment : late) {
      v1::ShipmentState before = shipment.state();
      *shipment.mutable_delay_detected_at() = ToProtoTime(now);
      if (shipment.state() != v1::LOST) shipment.set_state(v1::DELAYED);
      *shipment.mutable_updated_at() = ToProtoTime(now);
      OMS_RETURN_IF_ERROR(SaveWithStateEvent(s, shipment, before, nullptr));
      v1::ShipmentDelayed event;
      *event.mutable_shipment() = shipment;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, shipment.shipment_id(), event).status());
      response.add_delayed(shipment.shipment_id());
    }
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> silent,
                         store::LostCandidates(s, now - detection_.lost_after));
    for (v1::Shipment& shipment : silent) {
      v1::ShipmentState before = shipment.state();
      *shipment.mutable_lost_detected_at() = ToProtoTime(now);
      shipment.set_state(v1::LOST);
      *shipment.mutable_updated_at() = ToProtoTime(now);
      OMS_RETURN_IF_ERROR(SaveWithStateEvent(s, shipment, before, nullptr));
      v1::ShipmentLost event;
      *event.mutable_shipment() = shipment;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, shipment.shipment_id(), event).status());
      response.add_lost(shipment.shipment_id());
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ReshipResponse> Shipping::Reship(const v1::ReshipRequest& request) {
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
        OMS_ASSIGN_OR_RETURN(v1::ShippingOption option,
                             ChooseFor(s, ParcelOf(QuoteRequestOf(original, v1::NORMAL), now), "",
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

absl::StatusOr<v1::GetCarrierStatsResponse> Shipping::GetCarrierStats(
    const v1::GetCarrierStatsRequest& request) {
  store::ShipmentQuery query;
  query.carrier_id = request.carrier_id();
  if (request.has_from()) query.created_from_us = TimeUtil::TimestampToMicroseconds(request.from());
  if (request.has_to()) query.created_to_us = TimeUtil::TimestampToMicroseconds(request.to());
  query.limit = 1000;
  std::map<std::pair<std::string, int>, v1::CarrierStats> stats;
  std::map<std::pair<std::string, int>, double> transit_hours;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    while (true) {
      OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> page, store::ListShipments(s, query));
      for (const v1::Shipment& sh : page) {
        auto key = std::make_pair(sh.carrier_id(), static_cast<int>(sh.service_level()));
        v1::CarrierStats& st = stats[key];
        st.set_carrier_id(sh.carrier_id());
        st.set_service_level(sh.service_level());
        st.set_shipments(st.shipments() + 1);
        if (sh.has_delivery()) {
          st.set_delivered(st.delivered() + 1);
          absl::Time delivered = FromProtoTime(sh.delivery().delivered_at());
          if (delivered <= FromProtoTime(sh.promised_delivery())) {
            st.set_delivered_on_time(st.delivered_on_time() + 1);
          }
          absl::Time start =
              FromProtoTime(sh.has_picked_up_at() ? sh.picked_up_at() : sh.created_at());
          transit_hours[key] += absl::ToDoubleHours(delivered - start);
        }
        if (sh.has_delay_detected_at()) st.set_delayed(st.delayed() + 1);
        if (sh.has_lost_detected_at()) st.set_lost(st.lost() + 1);
        if (sh.ever_failed()) st.set_failed(st.failed() + 1);
        if (sh.state() == v1::CANCELLED) st.set_cancelled(st.cancelled() + 1);
      }
      if (page.size() < 1000) return absl::OkStatus();
      query.after = std::make_pair(TimeUtil::TimestampToMicroseconds(page.back().created_at()),
                                   page.back().shipment_id());
    }
  }));
  v1::GetCarrierStatsResponse response;
  for (auto& [key, st] : stats) {
    if (st.delivered() > 0) {
      st.set_on_time_rate(static_cast<double>(st.delivered_on_time()) / st.delivered());
      st.set_average_transit_hours(transit_hours[key] / st.delivered());
    }
    *response.add_stats() = st;
  }
  return response;
}

}  // namespace oms::logistics
