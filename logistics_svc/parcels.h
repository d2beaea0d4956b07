// A parcel as the requests describe it: the checks every request that names one shares,
// and the rate card's view of it.
#ifndef OMS_LOGISTICS_SVC_PARCELS_H_
#define OMS_LOGISTICS_SVC_PARCELS_H_

#include <string>

#include "absl/time/time.h"
#include "logistics_svc/rate_card.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/base/validation.h"

namespace oms::logistics {

void CheckParcel(const std::string& origin, const std::string& destination, int64_t weight_g,
                 int64_t volume_cm3, v1::Urgency urgency, FieldErrors& errors);
// The label's recipient: who and where, in the destination region.
void CheckShipTo(const v1::ShipTo& to, const std::string& destination, FieldErrors& errors);
Parcel ParcelOf(const v1::QuoteShipmentRequest& r, absl::Time now);
// The quote request that would describe an existing shipment's parcel.
v1::QuoteShipmentRequest QuoteRequestOf(const v1::Shipment& shipment, v1::Urgency urgency);

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_PARCELS_H_
