#ifndef OMS_NOTIFY_SVC_HMAC_H_
#define OMS_NOTIFY_SVC_HMAC_H_

#include <string>

#include "absl/strings/string_view.h"

namespace oms::notify {

// Lower-case hex HMAC-SHA256 of `data` under `key` (webhook signatures).
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_HMAC_H_
