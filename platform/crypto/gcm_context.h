// What sealing a field costs besides AES itself, paid once per thread instead of per field:
// the cipher context with its key schedule, and the random nonce. Per field, a fresh
// context (allocation, key expansion) and a RAND_bytes call (locks, a getpid fork check)
// were ~3% of the suite's CPU per order (docs/BENCHMARKS.md, "Sealing without per-field
// set-up").
#ifndef OMS_PLATFORM_CRYPTO_GCM_CONTEXT_H_
#define OMS_PLATFORM_CRYPTO_GCM_CONTEXT_H_

#include <openssl/evp.h>

#include "absl/strings/string_view.h"

namespace oms::crypto {

enum class GcmDirection { kSeal, kOpen };

// This thread's AES-256-GCM context for `key` (32 raw bytes), keyed for `direction`: the
// caller starts each message with Evp{En,De}cryptInit_ex(ctx, nullptr, nullptr, nullptr,
// nonce). Another key replaces the kept one. nullptr when OpenSSL cannot make a context.
EVP_CIPHER_CTX* ThreadGcmContext(GcmDirection direction, absl::string_view key);
// Drops this thread's context for `direction` after a failed operation, so the next message
// starts from a fresh one.
void DiscardThreadGcmContext(GcmDirection direction);

// Writes `size` bytes of OpenSSL's DRBG output for a nonce. Drawn in blocks and handed out
// in order, so each nonce is as random as a RAND_bytes call of its own; a forked child
// never reuses what its parent drew (the block is dropped in the child).
void FillNonce(unsigned char* out, int size);

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_GCM_CONTEXT_H_
