#ifndef OMS_PLATFORM_BASE_VALIDATION_H_
#define OMS_PLATFORM_BASE_VALIDATION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace oms {

// Collects every problem with a request so the caller hears about all of them at once:
// INVALID_ARGUMENT "customer.phone: not a phone number; lines[2].quantity: must be > 0".
// Not thread-safe; one per request.
class FieldErrors {
 public:
  void Add(absl::string_view field, absl::string_view problem);
  // Adds `problem` for `field` unless `ok`. Returns ok.
  bool Check(bool ok, absl::string_view field, absl::string_view problem);
  // Shared checks: a required string, and a length limit counted in UTF-8 characters.
  bool Required(absl::string_view value, absl::string_view field);
  bool MaxLength(absl::string_view value, size_t max_chars, absl::string_view field);

  bool empty() const { return errors_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& errors() const { return errors_; }
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> errors_;
};

// An email address (optional: empty passes): one @, a dotted domain, no spaces or list
// separators, at most 254 characters. Adds "is not an email address" under `field`.
void CheckEmail(absl::string_view email, absl::string_view field, FieldErrors& errors);

// "+86 138-0013-8000" -> "+8613800138000": spaces, dashes, dots and parentheses removed (how
// orders store a phone, so every lookup by phone normalises the same way).
std::string NormalizePhone(absl::string_view phone);

// "lines[2].quantity" from ("lines", 2, "quantity").
std::string IndexedField(absl::string_view list, int index, absl::string_view field);

// Number of UTF-8 characters (not bytes) in `text`.
size_t Utf8Length(absl::string_view text);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_VALIDATION_H_
