#ifndef OMS_NOTIFY_SVC_NOTIFY_PERSONAL_DATA_H_
#define OMS_NOTIFY_SVC_NOTIFY_PERSONAL_DATA_H_

#include "platform/storage/personal_records.h"

namespace oms::notify {

// Where notify_svc keeps personal data: messages (recipient, address, text), staff
// recipients, order contacts, digests waiting to go, in-app inbox items and opt-outs.
PersonalDataPlan NotifyPersonalData();

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_PERSONAL_DATA_H_
