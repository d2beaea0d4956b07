#ifndef OMS_LOGISTICS_SVC_LOGISTICS_PERSONAL_DATA_H_
#define OMS_LOGISTICS_SVC_LOGISTICS_PERSONAL_DATA_H_

#include "platform/storage/personal_records.h"

namespace oms::logistics {

// Where logistics_svc keeps customers' personal data: shipments (ship-to, who received) and
// tracking events (notes, recipient names).
PersonalDataPlan LogisticsPersonalData();

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_LOGISTICS_PERSONAL_DATA_H_
