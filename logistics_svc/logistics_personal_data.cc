#include "logistics_svc/logistics_personal_data.h"

#include "oms/logistics/v1/logistics.pb.h"

namespace oms::logistics {

PersonalDataPlan LogisticsPersonalData() {
  PersonalDataPlan plan;
  plan.records = {
      {{.table = "shipments",
        .key = "shipment_id",
        .body = "body",
        .prototype = &v1::Shipment::default_instance(),
        .order_column = "order_id"}},
      // A tracking event names its parcel, not the order: it is found by its recipient's
      // values, or goes with the parcel's erasure below.
      {{.table = "tracking_events",
        .key = "id",
        .integer_key = true,
        .body = "body",
        .prototype = &v1::TrackingEvent::default_instance(),
        .order_column = "(SELECT order_id FROM shipments s"
                        " WHERE s.tracking_number = tracking_events.tracking_number)"}},
  };
  return plan;
}

}  // namespace oms::logistics
