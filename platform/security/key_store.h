#ifndef OMS_PLATFORM_SECURITY_KEY_STORE_H_
#define OMS_PLATFORM_SECURITY_KEY_STORE_H_

// API keys as salted hashes and the principals (name, roles, channel) they speak for.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "oms/security/v1/security.pb.h"

namespace oms::auth {

using security::v1::Role;

// Who a verified key speaks for.
struct Principal {
  std::string name;
  std::vector<Role> roles;
  std::string channel;  // ORDER_WRITER scope; "" for all channels
  bool Has(Role role) const;
};

// A key as handed to its user once ("<key_id>.<secret>") and as stored (hash only).
struct IssuedKey {
  std::string token;
  security::v1::ApiKey stored;
};

// Makes a new random key for `principal`. The token is shown once; only `stored` is kept.
// `bytes` random bytes from OpenSSL's generator as lowercase hex: unguessable tokens (keys,
// survey links, coupon codes).
std::string RandomHex(size_t bytes);

IssuedKey IssueKey(const std::string& principal, const std::vector<Role>& roles,
                   const std::string& channel = "");

// Verifies bearer tokens against a key file's salted hashes. Thread-safe; the keys can be
// replaced while calls are verified (ReplaceKeys), so a revoked key is refused without a
// restart. Copies share the keys.
class KeyStore {
 public:
  // Refuses duplicate key ids, malformed hashes and keys without roles, naming the entry.
  static absl::StatusOr<KeyStore> FromKeyFile(const security::v1::KeyFile& file);
  static absl::StatusOr<KeyStore> Load(const std::string& path);

  // The principal for "<key_id>.<secret>", or UNAUTHENTICATED (never saying which half was
  // wrong). The comparison takes the same time however many bytes match.
  absl::StatusOr<Principal> Verify(const std::string& token) const;

  size_t size() const { return Snapshot()->size(); }

  // From now on, verifies against `newer`'s keys (a reloaded key file).
  void ReplaceKeys(const KeyStore& newer);

 private:
  using KeyMap = std::map<std::string, security::v1::ApiKey>;  // by key id
  struct Shared {
    mutable absl::Mutex mu;
    std::shared_ptr<const KeyMap> keys ABSL_GUARDED_BY(mu);
  };
  std::shared_ptr<const KeyMap> Snapshot() const;
  void ReplaceKeys(std::shared_ptr<const KeyMap> keys);

  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
};

// Text proto I/O for the key file and the tools that edit it.
absl::StatusOr<security::v1::KeyFile> ReadKeyFile(const std::string& path);
// Written to a temporary file with mode 0600 and renamed into place.
absl::Status WriteKeyFile(const std::string& path, const security::v1::KeyFile& file);

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_KEY_STORE_H_
