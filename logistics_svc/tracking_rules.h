#ifndef OMS_LOGISTICS_SVC_TRACKING_RULES_H_
#define OMS_LOGISTICS_SVC_TRACKING_RULES_H_

#include "oms/logistics/v1/logistics.pb.h"

namespace oms::logistics {

// How a carrier's tracking event moves a shipment, as a pure function. Events can arrive out
// of order and more than once; a shipment never moves backwards:
//   * an event older than the newest one applied is kept in the timeline but changes nothing;
//   * progress only goes forward: CREATED < PICKED_UP < IN_TRANSIT < OUT_FOR_DELIVERY =
//     DELIVERY_FAILED (a failed attempt and the next attempt alternate) < DELIVERED =
//     RETURNED_TO_SENDER;
//   * DELIVERED, RETURNED_TO_SENDER and CANCELLED are final;
//   * DELAYED stays shown while the parcel moves on (it is still late) until a final state;
//     LOST is cleared by any newer event (the parcel was found).
// Applies the event to `shipment` (progress, state, ETA, timestamps, delivery confirmation)
// and answers whether its state changed.
bool ApplyTrackingEvent(const v1::TrackingEvent& event, v1::Shipment& shipment);

// The progress state an event code means (UNSPECIFIED for ETA_UPDATED).
v1::ShipmentState ProgressFor(v1::TrackingEvent::Code code);

bool IsFinal(v1::ShipmentState state);

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_TRACKING_RULES_H_
