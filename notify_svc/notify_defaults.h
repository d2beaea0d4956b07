// The shipped templates and rules (defaults.textproto), added where missing at start-up.
#ifndef OMS_NOTIFY_SVC_NOTIFY_DEFAULTS_H_
#define OMS_NOTIFY_SVC_NOTIFY_DEFAULTS_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/server/service_host.h"

namespace oms::notify {

// Adds the templates and rules of a text-proto Defaults file that are missing, after
// checking every one; answers how many were added.
absl::StatusOr<int> SeedDefaults(ServiceHost* host, const std::string& path);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_DEFAULTS_H_
