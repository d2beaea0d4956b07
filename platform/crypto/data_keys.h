#ifndef OMS_PLATFORM_CRYPTO_DATA_KEYS_H_
#define OMS_PLATFORM_CRYPTO_DATA_KEYS_H_

// Encryption of personal data at rest: AES-256-GCM through OpenSSL, with key ids so keys
// can be rotated (new writes use the active key, older values stay readable until a sweep
// has sealed them again, then the old key is retired), and keyed hashes (HMAC-SHA256) for
// the lookups that need equality on an encrypted value (orders of a phone number).
//
// The key file lives outside the stores (so a copied store or backup is unreadable
// without it), one key per line, the first one active:
//   # comment
//   k2026b 64-hex-digits          <- new values are sealed with this one
//   k2026a 64-hex-digits          <- still opens what it sealed
//   lookup 64-hex-digits          <- the keyed-hash key; never rotated casually (the
//                                    stored hashes would all change)

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace oms::crypto {

class DataKeys {
 public:
  static absl::StatusOr<DataKeys> FromText(absl::string_view text);
  static absl::StatusOr<DataKeys> Load(const std::string& path);
  // A new random key line ("<id> <hex>") for the file.
  static std::string NewKeyLine(const std::string& key_id);

  // "enc1:<key id>:<base64 of nonce, ciphertext and tag>". `context` (the field, e.g.
  // "orders.customer.phone") is authenticated with it: a value moved to another field, or
  // changed by one bit, does not open.
  absl::StatusOr<std::string> Seal(absl::string_view plaintext, absl::string_view context) const;
  // The plaintext; DATA_LOSS when the value was tampered with or belongs to another context,
  // FAILED_PRECONDITION naming the key id when that key is not in the file (retired too early).
  absl::StatusOr<std::string> Open(absl::string_view sealed, absl::string_view context) const;
  static bool IsSealed(absl::string_view value);
  // The key id a sealed value was sealed with ("" for anything else): what the re-encryption
  // sweep looks for before the key can be retired.
  static std::string KeyIdOf(absl::string_view sealed);

  // "h1:<hex HMAC-SHA256>" of the value with the lookup key: equal values, equal hashes,
  // and nothing about the value without the key.
  std::string LookupHash(absl::string_view value) const;

  const std::string& active_key_id() const { return active_; }
  bool HasKey(const std::string& key_id) const { return keys_.count(key_id) > 0; }

 private:
  std::map<std::string, std::string> keys_;  // id -> 32 raw bytes
  std::string active_;
  std::string lookup_key_;  // 32 raw bytes
};

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_DATA_KEYS_H_
