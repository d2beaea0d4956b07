#ifndef OMS_PLATFORM_BASE_PII_MASK_H_
#define OMS_PLATFORM_BASE_PII_MASK_H_

#include <string>

#include "absl/strings/string_view.h"

namespace oms {

// `text` with e-mail addresses and phone numbers masked, for logs and the audit log:
// "jane.doe@example.com" -> "j***@example.com", "+44 7700 900123" -> "+** **** ****23".
// A phone number is a free-standing run of at least 7 digits (with spaces, dashes, dots,
// parentheses or a leading +); digits inside an id ("ord_01JD8Z...") are left alone.
std::string MaskPersonalData(absl::string_view text);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_PII_MASK_H_
