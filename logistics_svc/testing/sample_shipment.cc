#include "logistics_svc/testing/sample_shipment.h"

namespace oms::logistics::testing {

v1::CreateShipmentRequest SampleShipmentRequest(const std::string& order_id) {
  v1::CreateShipmentRequest r;
  r.set_order_id(order_id);
  r.set_warehouse_id("SH-01");
  r.set_origin_region("East");
  r.set_destination_region("North");
  v1::ShipmentLine* line = r.add_lines();
  line->set_sku("TEA-1");
  line->set_quantity(2);
  r.set_weight_g(1200);
  r.set_volume_cm3(3000);
  return r;
}

}  // namespace oms::logistics::testing
