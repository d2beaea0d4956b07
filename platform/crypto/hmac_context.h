// HMAC-SHA256 with the key set up once per thread. OpenSSL 3's one-shot HMAC() looks the
// algorithm up in its provider store and hashes the key's pads on every call: 1.05 us for
// a phone number on this machine, against 0.18 us for a context keyed once and restarted
// (docs/BENCHMARKS.md). Stores hash every phone and e-mail they index or look up.
#ifndef OMS_PLATFORM_CRYPTO_HMAC_CONTEXT_H_
#define OMS_PLATFORM_CRYPTO_HMAC_CONTEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace oms::crypto {

// HMAC-SHA256 of `value` under `key` (raw bytes), as 32 raw bytes; empty when OpenSSL
// fails. This thread keeps its context for the last key it was given.
std::string ThreadHmacSha256(absl::string_view key, absl::string_view value);

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_HMAC_CONTEXT_H_
