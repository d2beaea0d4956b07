#ifndef OMS_PLATFORM_TESTING_TEST_DATA_KEYS_H_
#define OMS_PLATFORM_TESTING_TEST_DATA_KEYS_H_

// The process's data keys for tests that seal personal data and rotate keys.

#include <string>
#include <vector>

namespace oms::testing {

// Makes the data keys `ids`, the first active, plus the lookup key, the process's keys
// (crypto::DataProtection). A key id names the same key on every call, so what was sealed
// under "k1" still opens once {"k2", "k1"} are used, and not once "k1" is left out.
void UseDataKeys(const std::vector<std::string>& ids);

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_TEST_DATA_KEYS_H_
