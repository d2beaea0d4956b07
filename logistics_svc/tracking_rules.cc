#include "logistics_svc/tracking_rules.h"

#include "google/protobuf/util/time_util.h"

namespace oms::logistics {
namespace {

using google::protobuf::util::TimeUtil;

int Rank(v1::ShipmentState progress) {
  switch (progress) {
    case v1::PICKED_UP:
      return 1;
    case v1::IN_TRANSIT:
      return 2;
    case v1::OUT_FOR_DELIVERY:
    case v1::DELIVERY_FAILED:
      return 3;
    case v1::DELIVERED:
    case v1::RETURNED_TO_SENDER:
      return 4;
    default:
      return 0;  // CREATED
  }
}

bool Before(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return TimeUtil::TimestampToMicroseconds(a) < TimeUtil::TimestampToMicroseconds(b);
}

}  // namespace

v1::ShipmentState ProgressFor(v1::TrackingEvent::Code code) {
  switch (code) {
    case v1::TrackingEvent::PICKED_UP:
      return v1::PICKED_UP;
    case v1::TrackingEvent::IN_TRANSIT:
    case v1::TrackingEvent::ARRIVED_AT_HUB:
      return v1::IN_TRANSIT;
    case v1::TrackingEvent::OUT_FOR_DELIVERY:
      return v1::OUT_FOR_DELIVERY;
    case v1::TrackingEvent::DELIVERED:
      return v1::DELIVERED;
    case v1::TrackingEvent::DELIVERY_FAILED:
      return v1::DELIVERY_FAILED;
    case v1::TrackingEvent::RETURNED_TO_SENDER:
      return v1::RETURNED_TO_SENDER;
    default:
      return v1::SHIPMENT_STATE_UNSPECIFIED;
  }
}

bool IsFinal(v1::ShipmentState state) {
  return state == v1::DELIVERED || state == v1::RETURNED_TO_SENDER || state == v1::CANCELLED;
}

bool ApplyTrackingEvent(const v1::TrackingEvent& event, v1::Shipment& shipment) {
  bool stale =
      shipment.has_last_event_at() && Before(event.occurred_at(), shipment.last_event_at());
  if (stale || IsFinal(shipment.state()) || IsFinal(shipment.progress())) return false;
  shipment.mutable_last_event_at()->CopyFrom(event.occurred_at());
  if (event.has_eta()) *shipment.mutable_eta() = event.eta();
  v1::ShipmentState next = ProgressFor(event.code());
  if (next == v1::SHIPMENT_STATE_UNSPECIFIED || Rank(next) < Rank(shipment.progress())) {
    return false;  // an ETA update, or a step behind where the parcel already is
  }
  v1::ShipmentState before = shipment.state();
  shipment.set_progress(next);
  if (!shipment.has_picked_up_at()) {
    *shipment.mutable_picked_up_at() = event.occurred_at();
  }
  if (next == v1::DELIVERY_FAILED) shipment.set_ever_failed(true);
  if (next == v1::DELIVERED) {
    v1::DeliveryConfirmation* delivery = shipment.mutable_delivery();
    delivery->set_recipient_name(event.recipient_name());
    delivery->set_signature_reference(event.signature_reference());
    *delivery->mutable_delivered_at() = event.occurred_at();
  }
  bool keep_delayed = before == v1::DELAYED && !IsFinal(next);
  shipment.set_state(keep_delayed ? v1::DELAYED : next);
  return shipment.state() != before;
}

}  // namespace oms::logistics
