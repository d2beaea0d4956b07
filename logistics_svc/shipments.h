// Shipments: created for an order's parcel at a warehouse (idempotent per order and
// warehouse), cancelled before pickup, listed, and reshipped when lost. Every change commits
// with its outbox events in one transaction. Thread-safe.
#ifndef OMS_LOGISTICS_SVC_SHIPMENTS_H_
#define OMS_LOGISTICS_SVC_SHIPMENTS_H_

#include "absl/status/statusor.h"
#include "logistics_svc/carrier_choice.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/server/service_host.h"

namespace oms::logistics {

class Shipments {
 public:
  Shipments(ServiceHost* host, CarrierChoice* choice) : host_(host), choice_(choice) {}

  // Idempotent per (order_id, warehouse_id): the live shipment is answered again.
  absl::StatusOr<v1::Shipment> CreateShipment(const v1::CreateShipmentRequest& request);
  // Only before pickup; cancelling a cancelled shipment is harmless.
  absl::StatusOr<v1::Shipment> CancelShipment(const v1::CancelShipmentRequest& request);
  absl::StatusOr<v1::Shipment> GetShipment(const v1::GetShipmentRequest& request);
  absl::StatusOr<v1::ListShipmentsResponse> ListShipments(const v1::ListShipmentsRequest& request);
  // A new shipment replacing `shipment_id`, linked both ways.
  absl::StatusOr<v1::ReshipResponse> Reship(const v1::ReshipRequest& request);

  // Inside the caller's transaction: saves `shipment` and, if its state moved from `before`,
  // emits ShipmentStatusChanged (with the tracking event that caused it, if any).
  absl::Status SaveWithStateEvent(Session& s, const v1::Shipment& shipment,
                                  v1::ShipmentState before, const v1::TrackingEvent* cause);

 private:
  // Stores a new shipment built from `parcel` and `option`, with its ShipmentCreated event.
  absl::StatusOr<v1::Shipment> StoreNewShipment(Session& s, v1::Shipment shipment,
                                                const v1::ShippingOption& option);

  ServiceHost* host_;
  CarrierChoice* choice_;
};

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_SHIPMENTS_H_
