#ifndef OMS_PLATFORM_BASE_IDS_H_
#define OMS_PLATFORM_BASE_IDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "platform/base/clock.h"

namespace oms {

// Makes ids like "ord_01JD8Z6Q4W3K9T2VXBN5M7R0AC": a prefix, then 26 Crockford base32
// characters holding a 48-bit millisecond timestamp and 80 random bits (ULID layout).
// Ids from one generator sort by creation time, including several in the same millisecond,
// and are unique across processes. Thread-safe.
class IdGenerator {
 public:
  explicit IdGenerator(const Clock* clock = Clock::Real());
  std::string Next(absl::string_view prefix);

 private:
  const Clock* clock_;
};

// True when `id` is `prefix` + "_" + 26 base32 characters.
bool HasIdShape(absl::string_view id, absl::string_view prefix);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_IDS_H_
