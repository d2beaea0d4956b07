#include "platform/crypto/hmac_context.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "platform/crypto/kept_keyed_context.h"

namespace oms::crypto {
namespace {

thread_local KeptKeyedContext<EVP_MAC_CTX, EVP_MAC_CTX_free> kept;

EVP_MAC_CTX* KeyedContext(absl::string_view key) {
  if (EVP_MAC_CTX* fits = kept.For(key)) return fits;
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
  kept.Keep(ctx, key);
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
