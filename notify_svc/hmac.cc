#include "notify_svc/hmac.h"

#include "absl/strings/escaping.h"
#include "platform/crypto/hmac_context.h"

namespace oms::notify {

std::string HmacSha256Hex(absl::string_view key, absl::string_view data) {
  return absl::BytesToHexString(crypto::ThreadHmacSha256(key, data));
}

}  // namespace oms::notify
