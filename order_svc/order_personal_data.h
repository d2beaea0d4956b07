#ifndef OMS_ORDER_SVC_ORDER_PERSONAL_DATA_H_
#define OMS_ORDER_SVC_ORDER_PERSONAL_DATA_H_

#include "platform/storage/personal_records.h"

namespace oms::order {

// Where order_svc keeps customers' personal data: orders (record and lookup columns) and
// their modification history; finds a customer's orders for EraseCustomerData.
PersonalDataPlan OrderPersonalData();

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_PERSONAL_DATA_H_
