#include "platform/base/pii_mask.h"

#include <cctype>

namespace oms {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsEmailLocalChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}
bool IsDomainChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsPhoneJoiner(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

// "2026-11-23" has a phone number's shape but is not one.
bool IsIsoDate(absl::string_view run) {
  if (run.size() != 10 || run[4] != '-' || run[7] != '-') return false;
  for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(run[k])) return false;
  }
  return true;
}

void MaskEmails(std::string& s) {
  for (size_t at = s.find('@'); at != std::string::npos; at = s.find('@', at + 1)) {
    size_t begin = at;
    while (begin > 0 && IsEmailLocalChar(s[begin - 1])) --begin;
    size_t end = at + 1;
    while (end < s.size() && IsDomainChar(s[end])) ++end;
    if (begin == at || end == at + 1 || s.find('.', at) >= end) continue;  // not an address
    // Keep the first character of the local part and the domain.
    s.replace(begin + 1, at - begin - 1, "***");
    at = begin + 4;
  }
}

// A separator inside a phone number: up to two joiners ("), ") before the next digit.
bool JoinsDigits(const std::string& s, size_t at) {
  for (size_t k = at; k < s.size() && k < at + 2; ++k) {
    if (!IsPhoneJoiner(s[k])) return IsDigit(s[k]);
  }
  return at + 2 < s.size() && IsDigit(s[at + 2]) && IsPhoneJoiner(s[at]) &&
         IsPhoneJoiner(s[at + 1]);
}

void MaskPhones(std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    bool opener = (s[i] == '+' || s[i] == '(') && i + 1 < s.size() && IsDigit(s[i + 1]);
    bool starts = (IsDigit(s[i]) || opener) && (i == 0 || !IsWordChar(s[i - 1]));
    if (!starts) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    size_t digits = IsDigit(s[i]) ? 1 : 0;
    while (end < s.size() && (IsDigit(s[end]) || JoinsDigits(s, end))) {
      if (IsDigit(s[end])) ++digits;
      ++end;
    }
    while (end > i && !IsDigit(s[end - 1])) --end;  // a run ends on a digit
    bool free_standing = end == s.size() || !IsWordChar(s[end]);
    if (digits >= 7 && free_standing && !IsIsoDate(absl::string_view(s).substr(i, end - i))) {
      size_t keep = 2;  // the last two digits stay readable, for support conversations
      for (size_t j = end; j-- > i;) {
        if (!IsDigit(s[j])) continue;
        if (keep > 0) {
          --keep;
        } else {
          s[j] = '*';
        }
      }
    }
    i = end + 1;
  }
}

}  // namespace

std::string MaskPersonalData(absl::string_view text) {
  std::string masked(text);
  MaskEmails(masked);
  MaskPhones(masked);
  return masked;
}

}  // namespace oms
