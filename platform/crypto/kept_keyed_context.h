// An OpenSSL context keyed once and kept by its thread (gcm_context, hmac_context): the key
// it was made with tells whether it still fits, and is wiped when dropped or the thread ends.
#ifndef OMS_PLATFORM_CRYPTO_KEPT_KEYED_CONTEXT_H_
#define OMS_PLATFORM_CRYPTO_KEPT_KEYED_CONTEXT_H_

#include <openssl/crypto.h>

#include <string>

#include "absl/strings/string_view.h"

namespace oms::crypto {

template <typename Context, void (*Free)(Context*)>
struct KeptKeyedContext {
  Context* ctx = nullptr;
  std::string key;

  // The kept context when it was keyed with `wanted`; nullptr otherwise.
  Context* For(absl::string_view wanted) const {
    return ctx != nullptr && key == wanted ? ctx : nullptr;
  }
  void Keep(Context* keyed, absl::string_view with) {
    ctx = keyed;
    key = std::string(with);
  }
  void Drop() {
    Free(ctx);
    ctx = nullptr;
    OPENSSL_cleanse(key.data(), key.size());
    key.clear();
  }
  ~KeptKeyedContext() { Drop(); }
};

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_KEPT_KEYED_CONTEXT_H_
