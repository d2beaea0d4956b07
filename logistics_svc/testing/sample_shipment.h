// The parcel the logistics tests ship: two packs of tea from SH-01 (East) to North.
#ifndef OMS_LOGISTICS_SVC_TESTING_SAMPLE_SHIPMENT_H_
#define OMS_LOGISTICS_SVC_TESTING_SAMPLE_SHIPMENT_H_

#include <string>

#include "oms/logistics/v1/logistics.pb.h"

namespace oms::logistics::testing {

// Without an idempotency key: each call of CreateShipment with it makes a new label.
v1::CreateShipmentRequest SampleShipmentRequest(const std::string& order_id);

}  // namespace oms::logistics::testing

#endif  // OMS_LOGISTICS_SVC_TESTING_SAMPLE_SHIPMENT_H_
