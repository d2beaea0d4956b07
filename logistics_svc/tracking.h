// Tracking: carrier events recorded once each and applied by the tracking rules, pickups
// and deliveries confirmed by hand, and the sweep that finds late and lost parcels.
// Thread-safe.
#ifndef OMS_LOGISTICS_SVC_TRACKING_H_
#define OMS_LOGISTICS_SVC_TRACKING_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "logistics_svc/shipments.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/server/service_host.h"

namespace oms::logistics {

struct DetectionOptions {
  // DELAYED once the promised delivery time is this far behind us and it is not delivered.
  absl::Duration delay_grace = absl::Hours(24);
  // LOST once a parcel in transit has had no tracking event for this long.
  absl::Duration lost_after = absl::Hours(72);
};

class Tracking {
 public:
  Tracking(ServiceHost* host, Shipments* shipments, DetectionOptions detection)
      : host_(host), shipments_(shipments), detection_(detection) {}

  // Idempotent on the carrier event id; stale events are kept but change nothing.
  absl::StatusOr<v1::RecordTrackingEventResponse> RecordTrackingEvent(
      const v1::TrackingEvent& event);
  absl::StatusOr<v1::GetTrackingResponse> GetTracking(const v1::GetTrackingRequest& request);
  // Records the warehouse's handover to the carrier as a PICKED_UP event (once per shipment).
  absl::StatusOr<v1::Shipment> ConfirmPickup(const v1::ConfirmPickupRequest& request);
  // A delivery confirmed by hand (recipient name, signature reference).
  absl::StatusOr<v1::Shipment> ConfirmDelivery(const v1::ConfirmDeliveryRequest& request);
  // Marks shipments DELAYED and LOST by the host's clock, each once, with their events.
  absl::StatusOr<v1::RunDetectionResponse> RunDetection();

 private:
  // Records a tracking event and applies it; the core of RecordTrackingEvent.
  absl::StatusOr<v1::RecordTrackingEventResponse> Track(Session& s, v1::TrackingEvent event);

  ServiceHost* host_;
  Shipments* shipments_;
  DetectionOptions detection_;
};

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_TRACKING_H_
