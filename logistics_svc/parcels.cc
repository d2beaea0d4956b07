#include "logistics_svc/parcels.h"

#include "platform/storage/proto_rows.h"

namespace oms::logistics {

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
  // A later departure (the warehouse's cut-off and handling) moves the promise with it.
  parcel.ship_time =
      r.has_ship_at() && FromProtoTime(r.ship_at()) > now ? FromProtoTime(r.ship_at()) : now;
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

}  // namespace oms::logistics
