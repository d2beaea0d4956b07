#ifndef OMS_PLATFORM_SECURITY_LOCAL_KEYS_H_
#define OMS_PLATFORM_SECURITY_LOCAL_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/security/key_store.h"

namespace oms::auth {

// The key set of a local suite (`./oms up`, tests): DIR/keys.textproto with the hashes, and
// one DIR/<principal>.key (mode 0600) holding each token: a SERVICE key per service, and
// admin, ops, reviewer, support (CUSTOMER_SERVICE), reader and erp (ORDER_WRITER bound to
// channel ERP). Existing files are kept: answers the principals it created (empty when the
// set was already complete).
absl::StatusOr<std::vector<std::string>> EnsureLocalKeys(const std::string& dir);

// Adds one key to DIR/keys.textproto and writes its token to `token_path` (0600).
absl::Status AddKey(const std::string& dir, const std::string& principal,
                    const std::vector<Role>& roles, const std::string& channel,
                    const std::string& token_path);

// The service binaries, each of which calls the others with its own key.
const std::vector<std::string>& ServiceNames();

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_LOCAL_KEYS_H_
