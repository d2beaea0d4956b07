#include "notify_svc/notify_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

bool ValidChannel(int c) { return c != v1::CHANNEL_UNSPECIFIED && v1::Channel_IsValid(c); }

std::string NormalizeContact(const std::string& contact) {
  if (absl::StrContains(contact, "@")) return absl::AsciiStrToLower(contact);
  std::string out;
  for (char c : contact) {
    if (absl::ascii_isdigit(c) || c == '+') out.push_back(c);
  }
  return out;
}

}  // namespace oms::notify
