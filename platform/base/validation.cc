#include "platform/base/validation.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace oms {

void FieldErrors::Add(absl::string_view field, absl::string_view problem) {
  errors_.emplace_back(std::string(field), std::string(problem));
}

bool FieldErrors::Check(bool ok, absl::string_view field, absl::string_view problem) {
  if (!ok) Add(field, problem);
  return ok;
}

bool FieldErrors::Required(absl::string_view value, absl::string_view field) {
  return Check(!value.empty(), field, "is required");
}

bool FieldErrors::MaxLength(absl::string_view value, size_t max_chars, absl::string_view field) {
  return Check(Utf8Length(value) <= max_chars, field,
               absl::StrCat("is longer than ", max_chars, " characters"));
}

absl::Status FieldErrors::ToStatus() const {
  if (errors_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(
      errors_, "; ", [](std::string* out, const std::pair<std::string, std::string>& e) {
        absl::StrAppend(out, e.first, ": ", e.second);
      }));
}

std::string IndexedField(absl::string_view list, int index, absl::string_view field) {
  return absl::StrCat(list, "[", index, "].", field);
}

size_t Utf8Length(absl::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void CheckEmail(absl::string_view email, absl::string_view field, FieldErrors& errors) {
  if (email.empty()) return;  // optional
  size_t at = email.find('@');
  bool ok = at != absl::string_view::npos && at > 0 &&
            email.find('@', at + 1) == absl::string_view::npos && email.size() <= 254;
  if (ok) {
    absl::string_view domain = email.substr(at + 1);
    size_t dot = domain.rfind('.');
    ok = dot != absl::string_view::npos && dot > 0 && dot + 2 <= domain.size() &&
         !absl::StrContains(domain, "..");
    for (char c : email) ok = ok && c > ' ' && c != ',' && c != ';' && c != '<' && c != '>';
  }
  errors.Check(ok, field, "is not an email address");
}

std::string NormalizePhone(absl::string_view phone) {
  std::string out;
  for (char c : phone) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    out.push_back(c);
  }
  return out;
}

}  // namespace oms
