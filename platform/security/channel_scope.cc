#include "platform/security/channel_scope.h"

#include "absl/strings/str_cat.h"

namespace oms::auth {

bool SeesChannel(const Principal& principal, const std::string& channel) {
  return principal.channel.empty() || principal.channel == channel;
}

absl::Status CheckChannel(const Principal& principal, const std::string& channel) {
  if (SeesChannel(principal, channel)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("the key of ", principal.name,
                                                  " is bound to channel ", principal.channel,
                                                  ", not ", channel));
}

}  // namespace oms::auth
