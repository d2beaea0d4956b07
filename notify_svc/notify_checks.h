// The conventions notify's requests share: which channels are real, and one form for contacts.
#ifndef OMS_NOTIFY_SVC_NOTIFY_CHECKS_H_
#define OMS_NOTIFY_SVC_NOTIFY_CHECKS_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

// A channel a message can go out on (not UNSPECIFIED, not unknown).
bool ValidChannel(int channel);
// Contacts are compared in one form: emails lower-cased, phones without separators.
std::string NormalizeContact(const std::string& contact);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_CHECKS_H_
