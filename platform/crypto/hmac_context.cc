#include "platform/crypto/hmac_context.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace oms::crypto {
namespace {

// One keyed context per thread; the key is kept to tell whether it still fits, and wiped
// when the thread ends.
struct KeptMac {
  EVP_MAC_CTX* ctx = nullptr;
  std::string key;
  void Drop() {
    EVP_MAC_CTX_free(ctx);
    ctx = nullptr;
    OPENSSL_cleanse(key.data(), key.size());
    key.clear();
  }
  ~KeptMac() { Drop(); }
};

thread_local KeptMac kept;

EVP_MAC_CTX* KeyedContext(absl::string_view key) {
  if (kept.ctx != nullptr && kept.key == key) return kept.ctx;
  kept.Drop();
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return nullptr;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context holds its own reference
  if (ctx == nullptr) return nullptr;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) !=
      1) {
    EVP_MAC_CTX_free(ctx);
    return nullptr;
  }
  kept.ctx = ctx;
  kept.key = std::string(key);
  return ctx;
}

}  // namespace

std::string ThreadHmacSha256(absl::string_view key, absl::string_view value) {
  EVP_MAC_CTX* ctx = KeyedContext(key);
  if (ctx == nullptr) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  size_t size = 0;
  // Init without a key restarts the MAC under the key it holds.
  if (EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(value.data()), value.size()) !=
          1 ||
      EVP_MAC_final(ctx, digest, &size, sizeof(digest)) != 1) {
    kept.Drop();  // the next call starts from a fresh context
    return "";
  }
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace oms::crypto
