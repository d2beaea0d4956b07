#ifndef OMS_PLATFORM_SECURITY_KEY_FILE_RELOADER_H_
#define OMS_PLATFORM_SECURITY_KEY_FILE_RELOADER_H_

#include <string>

#include "absl/status/status.h"
#include "platform/security/key_store.h"

namespace oms::auth {

// Follows the API key file a running service was started with: Check() reads it and, when
// its content changed, verifies calls against the new keys from then on (a key added,
// disabled or removed by `keys add` / `keys revoke` takes effect without a restart). A file
// that does not parse or validate is reported and the keys in use are kept. The service
// binaries run Check() every --key_reload_interval. Not thread-safe (one caller).
class KeyFileReloader {
 public:
  // `keys` (not owned) was loaded from `path`, whose content is taken as seen.
  KeyFileReloader(std::string path, KeyStore* keys);

  // OK when the keys in use are the file's (changed or not), or the file's content was
  // refused before (said once); the error when it is unreadable or newly refused.
  absl::Status Check();

 private:
  std::string path_;
  KeyStore* keys_;
  std::string seen_;     // the file's content the keys in use came from
  std::string refused_;  // content that did not validate, reported once
};

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_KEY_FILE_RELOADER_H_
