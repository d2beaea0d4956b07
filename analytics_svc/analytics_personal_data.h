#ifndef OMS_ANALYTICS_SVC_ANALYTICS_PERSONAL_DATA_H_
#define OMS_ANALYTICS_SVC_ANALYTICS_PERSONAL_DATA_H_

#include "platform/storage/personal_records.h"

namespace oms::analytics {

// Where analytics keeps customers' personal data: the customer key of each order fact (its
// amounts, lines and dates stay, so reports keep their totals).
PersonalDataPlan AnalyticsPersonalData();

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_ANALYTICS_PERSONAL_DATA_H_
