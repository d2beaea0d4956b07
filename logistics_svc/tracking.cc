#include "logistics_svc/tracking.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "logistics_svc/logistics_store.h"
#include "logistics_svc/tracking_rules.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {

absl::StatusOr<v1::RecordTrackingEventResponse> Tracking::Track(Session& s,
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
  OMS_RETURN_IF_ERROR(shipments_->SaveWithStateEvent(s, shipment, before, &event));
  if (changed && shipment.state() == v1::DELIVERED) {
    v1::ShipmentDelivered delivered;
    *delivered.mutable_shipment() = shipment;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, shipment.shipment_id(), delivered).status());
  }
  response.set_state_changed(changed);
  *response.mutable_shipment() = shipment;
  return response;
}

absl::StatusOr<v1::RecordTrackingEventResponse> Tracking::RecordTrackingEvent(
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

absl::StatusOr<v1::GetTrackingResponse> Tracking::GetTracking(
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

absl::StatusOr<v1::Shipment> Tracking::ConfirmPickup(const v1::ConfirmPickupRequest& request) {
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
          return absl::FailedPreconditionError(absl::StrCat("shipment ", shipment.shipment_id(),
                                                            " was cancelled: nothing to pick up"));
        }
        v1::TrackingEvent event;
        event.set_tracking_number(shipment.tracking_number());
        // One pickup per shipment: confirming twice records it once.
        event.set_carrier_event_id(absl::StrCat("manual-pickup:", shipment.shipment_id()));
        event.set_code(v1::TrackingEvent::PICKED_UP);
        event.set_note(request.actor().empty()
                           ? "handed to the carrier"
                           : absl::StrCat("handed to the carrier (", request.actor(), ")"));
        *event.mutable_occurred_at() =
            request.has_picked_up_at() ? request.picked_up_at() : ToProtoTime(host_->clock().Now());
        OMS_ASSIGN_OR_RETURN(v1::RecordTrackingEventResponse tracked, Track(s, event));
        answer = tracked.shipment();
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Shipment> Tracking::ConfirmDelivery(const v1::ConfirmDeliveryRequest& request) {
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

absl::StatusOr<v1::RunDetectionResponse> Tracking::RunDetection() {
  v1::RunDetectionResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    response.Clear();  // each attempt starts afresh (Database::Transact)
    absl::Time now = host_->clock().Now();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Shipment> late,
                         store::DelayCandidates(s, now - detection_.delay_grace));
    for (v1::Shipment& shipment : late) {
      v1::ShipmentState before = shipment.state();
      *shipment.mutable_delay_detected_at() = ToProtoTime(now);
      if (shipment.state() != v1::LOST) shipment.set_state(v1::DELAYED);
      *shipment.mutable_updated_at() = ToProtoTime(now);
      OMS_RETURN_IF_ERROR(shipments_->SaveWithStateEvent(s, shipment, before, nullptr));
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
      OMS_RETURN_IF_ERROR(shipments_->SaveWithStateEvent(s, shipment, before, nullptr));
      v1::ShipmentLost event;
      *event.mutable_shipment() = shipment;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, shipment.shipment_id(), event).status());
      response.add_lost(shipment.shipment_id());
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::logistics
