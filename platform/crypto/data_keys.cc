#include "platform/crypto/data_keys.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/files.h"
#include "platform/crypto/gcm_context.h"
#include "platform/crypto/hmac_context.h"

namespace oms::crypto {
namespace {

constexpr char kPrefix[] = "enc1:";
constexpr char kLookupId[] = "lookup";
constexpr int kKeyBytes = 32;    // AES-256
constexpr int kNonceBytes = 12;  // GCM's standard nonce
constexpr int kTagBytes = 16;

std::string RandomBytes(int n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n) != 1) std::abort();
  return bytes;
}

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool IsHexKey(absl::string_view hex) {
  if (hex.size() != 2 * kKeyBytes) return false;
  for (char c : hex) {
    if (!absl::ascii_isxdigit(c)) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<DataKeys> DataKeys::FromText(absl::string_view text) {
  DataKeys keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (fields.size() != 2 || !IsHexKey(fields[1]) ||
        fields[0].find(':') != absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("data key file line ", line_number, ": want \"<key id> <64 hex digits>\""));
    }
    std::string id(fields[0]);
    std::string key = absl::HexStringToBytes(fields[1]);
    if (id == kLookupId) {
      keys.lookup_key_ = key;
      continue;
    }
    if (!keys.keys_.emplace(id, key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("data key file line ", line_number, ": key id ", id, " twice"));
    }
    if (keys.active_.empty()) keys.active_ = id;
  }
  if (keys.active_.empty() || keys.lookup_key_.empty()) {
    return absl::InvalidArgumentError(
        "the data key file needs at least one key and a \"lookup\" key");
  }
  return keys;
}

absl::StatusOr<DataKeys> DataKeys::Load(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile(path);
  if (!text.ok()) return absl::NotFoundError(absl::StrCat("cannot read data key file ", path));
  return FromText(*text);
}

std::string DataKeys::NewKeyLine(const std::string& key_id) {
  return absl::StrCat(key_id, " ", absl::BytesToHexString(RandomBytes(kKeyBytes)));
}

absl::StatusOr<std::string> DataKeys::Seal(absl::string_view plaintext,
                                           absl::string_view context) const {
  const std::string& key = keys_.at(active_);
  // nonce, ciphertext and tag, base64'd together
  std::string raw(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
  unsigned char* body = nonce + kNonceBytes;
  unsigned char* tag = body + plaintext.size();
  FillNonce(nonce, kNonceBytes);
  EVP_CIPHER_CTX* ctx = ThreadGcmContext(GcmDirection::kSeal, key);
  int len = 0;
  bool ok = ctx != nullptr && EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &len, Bytes(context),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx, body, &len, Bytes(plaintext),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, nullptr, &len) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) == 1;
  if (!ok) {
    DiscardThreadGcmContext(GcmDirection::kSeal);
    return absl::InternalError("AES-256-GCM encryption failed");
  }
  return absl::StrCat(kPrefix, active_, ":", absl::Base64Escape(raw));
}

absl::StatusOr<std::string> DataKeys::Open(absl::string_view sealed,
                                           absl::string_view context) const {
  if (!IsSealed(sealed)) return absl::InvalidArgumentError("not a sealed value");
  absl::string_view rest = sealed.substr(sizeof(kPrefix) - 1);
  size_t colon = rest.find(':');
  std::string key_id(rest.substr(0, colon));
  auto key = keys_.find(key_id);
  if (key == keys_.end()) {
    return absl::FailedPreconditionError(absl::StrCat("the value was sealed with data key ", key_id,
                                                      ", which is not in the key file"));
  }
  std::string raw;
  if (colon == absl::string_view::npos || !absl::Base64Unescape(rest.substr(colon + 1), &raw) ||
      raw.size() < kNonceBytes + kTagBytes) {
    return absl::DataLossError("a sealed value is malformed");
  }
  absl::string_view nonce(raw.data(), kNonceBytes);
  absl::string_view body(raw.data() + kNonceBytes, raw.size() - kNonceBytes - kTagBytes);
  unsigned char* tag = reinterpret_cast<unsigned char*>(raw.data()) + raw.size() - kTagBytes;
  std::string out(body.size(), '\0');
  EVP_CIPHER_CTX* ctx = ThreadGcmContext(GcmDirection::kOpen, key->second);
  int len = 0;
  bool ok =
      ctx != nullptr && EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx, nullptr, &len, Bytes(context), static_cast<int>(context.size())) ==
          1 &&
      EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, Bytes(body),
                        static_cast<int>(body.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, tag) == 1 &&
      EVP_DecryptFinal_ex(ctx, nullptr, &len) == 1;
  if (!ok) {
    DiscardThreadGcmContext(GcmDirection::kOpen);
    return absl::DataLossError(
        "a sealed value does not authenticate (tampered with, or another field's)");
  }
  return out;
}

bool DataKeys::IsSealed(absl::string_view value) {
  return value.substr(0, sizeof(kPrefix) - 1) == kPrefix;
}

std::string DataKeys::KeyIdOf(absl::string_view sealed) {
  if (!IsSealed(sealed)) return "";
  absl::string_view rest = sealed.substr(sizeof(kPrefix) - 1);
  return std::string(rest.substr(0, rest.find(':')));
}

std::string DataKeys::LookupHash(absl::string_view value) const {
  return absl::StrCat("h1:", absl::BytesToHexString(ThreadHmacSha256(lookup_key_, value)));
}

}  // namespace oms::crypto
