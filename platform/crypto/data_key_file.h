#ifndef OMS_PLATFORM_CRYPTO_DATA_KEY_FILE_H_
#define OMS_PLATFORM_CRYPTO_DATA_KEY_FILE_H_

// The data key file (--data_key_file, format in data_keys.h) as operators change it: created
// once with a fresh key, a new active key added for a rotation, the old key retired once the
// sweep has sealed everything again; and followed by the running services.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace oms::crypto {

// Creates `path` (mode 0600) with one active key and the lookup key unless it exists.
// Answers whether it created it.
absl::StatusOr<bool> EnsureDataKeyFile(const std::string& path);
// Puts a new key first (the active one from then on); answers its id.
absl::StatusOr<std::string> AddDataKey(const std::string& path);
// Removes key `key_id`; refused for the active key and the lookup key.
absl::Status RetireDataKey(const std::string& path, const std::string& key_id);

// Follows the file a running service was started with: Check() re-reads it and, when it
// changed and still validates, makes its keys the process's (DataProtection::Use). A file
// that does not validate keeps the keys in use and is reported once. One caller.
class DataKeyFileWatcher {
 public:
  // Loads `path` and uses its keys; the error when it is missing or invalid.
  static absl::StatusOr<DataKeyFileWatcher> Start(std::string path);
  absl::Status Check();

 private:
  explicit DataKeyFileWatcher(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::string seen_;
  std::string refused_;
};

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_DATA_KEY_FILE_H_
