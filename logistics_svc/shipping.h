#ifndef OMS_LOGISTICS_SVC_SHIPPING_H_
#define OMS_LOGISTICS_SVC_SHIPPING_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "logistics_svc/rate_card.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/service_host.h"

namespace oms::logistics {

struct DetectionOptions {
  // DELAYED once the promised delivery time is this far behind us and it is not delivered.
  absl::Duration delay_grace = absl::Hours(24);
  // LOST once a parcel in transit has had no tracking event for this long.
  absl::Duration lost_after = absl::Hours(72);
};

// Quoting and carrier choice, shipments, tracking, detection sweeps, reship and carrier
// statistics. Every change commits with its outbox events in one transaction. Thread-safe.
class Shipping {
 public:
  Shipping(ServiceHost* host, DetectionOptions detection) : host_(host), detection_(detection) {}

  absl::StatusOr<v1::QuoteShipmentResponse> QuoteShipment(const v1::QuoteShipmentRequest& request);
  absl::StatusOr<v1::SelectCarrierResponse> SelectCarrier(const v1::QuoteShipmentRequest& request);

  // Idempotent per (order_id, warehouse_id): the live shipment is answered again.
  absl::StatusOr<v1::Shipment> CreateShipment(const v1::CreateShipmentRequest& request);
  // Only before pickup; cancelling a cancelled shipment is harmless.
  absl::StatusOr<v1::Shipment> CancelShipment(const v1::CancelShipmentRequest& request);
  absl::StatusOr<v1::Shipment> GetShipment(const v1::GetShipmentRequest& request);
  absl::StatusOr<v1::ListShipmentsResponse> ListShipments(const v1::ListShipmentsRequest& request);

  // Idempotent on the carrier event id; stale events are kept but change nothing.
  absl::StatusOr<v1::RecordTrackingEventResponse> RecordTrackingEvent(
      const v1::TrackingEvent& event);
  absl::StatusOr<v1::GetTrackingResponse> GetTracking(const v1::GetTrackingRequest& request);
  // A delivery confirmed by hand (recipient name, signature reference).
  // Records the warehouse's handover to the carrier as a PICKED_UP event (once per shipment).
  absl::StatusOr<v1::Shipment> ConfirmPickup(const v1::ConfirmPickupRequest& request);
  absl::StatusOr<v1::Shipment> ConfirmDelivery(const v1::ConfirmDeliveryRequest& request);

  // Marks shipments DELAYED and LOST by the host's clock, each once, with their events.
  absl::StatusOr<v1::RunDetectionResponse> RunDetection();
  // A new shipment replacing `shipment_id`, linked both ways.
  absl::StatusOr<v1::ReshipResponse> Reship(const v1::ReshipRequest& request);
  absl::StatusOr<v1::GetCarrierStatsResponse> GetCarrierStats(
      const v1::GetCarrierStatsRequest& request);

 private:
  // The carrier option for a parcel: the given carrier and level, or the rule's choice.
  absl::StatusOr<v1::ShippingOption> ChooseFor(Session& s, const Parcel& parcel,
                                               const std::string& carrier_id,
                                               v1::ServiceLevel level);
  // Stores a new shipment built from `parcel` and `option`, with its ShipmentCreated event.
  absl::StatusOr<v1::Shipment> StoreNewShipment(Session& s, v1::Shipment shipment,
                                                const v1::ShippingOption& option);
  // Records a tracking event and applies it; the core of RecordTrackingEvent.
  absl::StatusOr<v1::RecordTrackingEventResponse> Track(Session& s, v1::TrackingEvent event);
  // Saves `shipment` and, if its state moved from `before`, emits ShipmentStatusChanged.
  absl::Status SaveWithStateEvent(Session& s, const v1::Shipment& shipment,
                                  v1::ShipmentState before, const v1::TrackingEvent* cause);

  ServiceHost* host_;
  DetectionOptions detection_;
};

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_SHIPPING_H_
