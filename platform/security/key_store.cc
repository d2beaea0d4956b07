#include "platform/security/key_store.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "openssl/crypto.h"
#include "openssl/evp.h"
#include "openssl/rand.h"
#include "openssl/sha.h"
#include "platform/base/files.h"

namespace oms::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kSecretBytes = 32;
constexpr size_t kKeyIdBytes = 6;

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  // RAND_bytes only fails when the system has no entropy source at all.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    std::abort();
  }
  return bytes;
}

}  // namespace

std::string RandomHex(size_t bytes) { return absl::BytesToHexString(RandomBytes(bytes)); }

namespace {

std::string Sha256(const std::string& salt, const std::string& secret) {
  // EVP: the SHA256_* calls are deprecated since OpenSSL 3.
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, salt.data(), salt.size()) == 1 &&
            EVP_DigestUpdate(ctx, secret.data(), secret.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  // Only an allocation failure gets here; an empty hash matches no stored key.
  if (!ok) return "";
  return std::string(reinterpret_cast<char*>(digest), length);
}

}  // namespace

bool Principal::Has(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

IssuedKey IssueKey(const std::string& principal, const std::vector<Role>& roles,
                   const std::string& channel) {
  std::string key_id = RandomHex(kKeyIdBytes);
  std::string secret = RandomHex(kSecretBytes);
  std::string salt = RandomBytes(kSaltBytes);
  IssuedKey issued;
  issued.token = absl::StrCat(key_id, ".", secret);
  issued.stored.set_key_id(key_id);
  issued.stored.set_principal(principal);
  for (Role role : roles) issued.stored.add_roles(role);
  issued.stored.set_channel(channel);
  issued.stored.set_salt_hex(absl::BytesToHexString(salt));
  issued.stored.set_sha256_hex(absl::BytesToHexString(Sha256(salt, secret)));
  return issued;
}

absl::StatusOr<KeyStore> KeyStore::FromKeyFile(const security::v1::KeyFile& file) {
  KeyMap keys;
  for (int i = 0; i < file.keys_size(); ++i) {
    const security::v1::ApiKey& key = file.keys(i);
    std::string where = absl::StrCat("keys[", i, "] (", key.key_id(), ")");
    if (key.key_id().empty() || key.principal().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": key_id and principal are required"));
    }
    if (key.roles().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": no roles"));
    }
    if (key.sha256_hex().size() != 2 * SHA256_DIGEST_LENGTH || key.salt_hex().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": salt_hex or sha256_hex malformed"));
    }
    if (!keys.emplace(key.key_id(), key).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate key_id"));
    }
  }
  KeyStore store;
  store.ReplaceKeys(std::make_shared<const KeyMap>(std::move(keys)));
  return store;
}

std::shared_ptr<const KeyStore::KeyMap> KeyStore::Snapshot() const {
  absl::MutexLock lock(&shared_->mu);
  if (shared_->keys == nullptr) return std::make_shared<const KeyMap>();
  return shared_->keys;
}

void KeyStore::ReplaceKeys(const KeyStore& newer) { ReplaceKeys(newer.Snapshot()); }

void KeyStore::ReplaceKeys(std::shared_ptr<const KeyMap> keys) {
  absl::MutexLock lock(&shared_->mu);
  shared_->keys = std::move(keys);
}

absl::StatusOr<KeyStore> KeyStore::Load(const std::string& path) {
  absl::StatusOr<security::v1::KeyFile> file = ReadKeyFile(path);
  if (!file.ok()) return file.status();
  return FromKeyFile(*file);
}

absl::StatusOr<Principal> KeyStore::Verify(const std::string& token) const {
  const absl::Status refused = absl::UnauthenticatedError("invalid API key");
  size_t dot = token.find('.');
  if (dot == std::string::npos) return refused;
  std::shared_ptr<const KeyMap> keys = Snapshot();
  auto found = keys->find(token.substr(0, dot));
  if (found == keys->end() || found->second.disabled()) return refused;
  const security::v1::ApiKey& key = found->second;
  std::string expected = absl::HexStringToBytes(key.sha256_hex());
  std::string actual = Sha256(absl::HexStringToBytes(key.salt_hex()), token.substr(dot + 1));
  if (actual.size() != expected.size() ||
      CRYPTO_memcmp(expected.data(), actual.data(), expected.size()) != 0) {
    return refused;
  }
  Principal principal;
  principal.name = key.principal();
  for (int role : key.roles()) principal.roles.push_back(static_cast<Role>(role));
  principal.channel = key.channel();
  return principal;
}

absl::StatusOr<security::v1::KeyFile> ReadKeyFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile(path);
  if (!text.ok()) return absl::NotFoundError(absl::StrCat("cannot read key file ", path));
  security::v1::KeyFile file;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &file)) {
    return absl::InvalidArgumentError(absl::StrCat("key file ", path, " is not a valid KeyFile"));
  }
  return file;
}

absl::Status WriteKeyFile(const std::string& path, const security::v1::KeyFile& file) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(file, &text);
  return WriteFileAtomically(path, text, 0600);
}

}  // namespace oms::auth
