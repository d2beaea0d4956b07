#ifndef OMS_PLATFORM_CRYPTO_DATA_PROTECTION_H_
#define OMS_PLATFORM_CRYPTO_DATA_PROTECTION_H_

// The process's data keys (--data_key_file) and what stores do with them: personal values
// sealed on the way in and opened on the way out, deterministic lookup keys for the columns
// that are searched by a phone or an e-mail, and digests in place of stored request bytes.
// Without keys (tests, a store never configured for it) values stay in clear; a sealed value
// read without keys is FAILED_PRECONDITION, never shown as ciphertext.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "platform/crypto/data_keys.h"

namespace oms::crypto {

class DataProtection {
 public:
  // nullptr: keep personal values in clear. Takes effect for every later read and write, so
  // a rotated key file is picked up by calling it again.
  static void Use(std::shared_ptr<const DataKeys> keys);
  static std::shared_ptr<const DataKeys> Keys();
};

// `message` serialized with each personal value sealed under the active key.
std::string SerializeSealed(const google::protobuf::Message& message);
// Parses `bytes` and opens its personal values. DATA_LOSS for corrupt bytes.
absl::Status ParseOpened(absl::string_view bytes, google::protobuf::Message* message);

// In place: every personal value opened / sealed under the active key (a value under an
// older key is sealed again: the rotation sweep). Seal reports whether anything changed.
absl::Status OpenPersonalData(google::protobuf::Message& message);
absl::StatusOr<bool> SealPersonalData(google::protobuf::Message& message);
// Clears every personal value; answers how many held something.
int ErasePersonalData(google::protobuf::Message& message);

// For a column that is matched by equality: the keyed hash of `value` ("" stays "").
std::string LookupKey(absl::string_view value);
// For a column that is only shown: sealed with `context` naming the column.
std::string SealText(absl::string_view value, absl::string_view context);
absl::StatusOr<std::string> OpenText(absl::string_view value, absl::string_view context);
// For stored bytes compared by equality only (an idempotency fingerprint): a keyed hash.
std::string Digest(absl::string_view bytes);

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_DATA_PROTECTION_H_
