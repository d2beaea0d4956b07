#include "platform/security/approval_limits.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace oms::auth {

absl::StatusOr<ApprovalLimits> ApprovalLimits::Parse(absl::string_view spec) {
  ApprovalLimits limits;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(entry, '=');
    Role role;
    int64_t amount = 0;
    std::string name(absl::StripAsciiWhitespace(parts.first));
    if (!security::v1::Role_Parse(name, &role) || role == security::v1::ROLE_UNSPECIFIED ||
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(parts.second), &amount) || amount < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "approval limit \"", entry, "\" is not ROLE=amount (a role name and minor units >= 0)"));
    }
    limits.limits_[role] = amount;
  }
  return limits;
}

std::optional<int64_t> ApprovalLimits::LimitFor(const Principal& principal) const {
  if (principal.name.empty()) return std::nullopt;
  std::optional<int64_t> best = 0;
  for (Role role : principal.roles) {
    auto found = limits_.find(role);
    if (found == limits_.end()) {
      if (role == security::v1::ADMIN) return std::nullopt;
      continue;
    }
    best = std::max(*best, found->second);
  }
  return best;
}

absl::Status ApprovalLimits::CheckCovers(const Principal& principal, int64_t amount_minor,
                                         absl::string_view what) const {
  std::optional<int64_t> limit = LimitFor(principal);
  if (!limit.has_value() || amount_minor <= *limit) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(principal.name, " may approve up to ", *limit,
                                                  " minor units; ", what, " is ", amount_minor,
                                                  " and needs an approver with a higher limit"));
}

std::string ApprovalLimits::ToString() const {
  std::vector<std::string> parts;
  for (const auto& [role, amount] : limits_) {
    parts.push_back(absl::StrCat(security::v1::Role_Name(role), "=", amount));
  }
  return absl::StrJoin(parts, ",");
}

}  // namespace oms::auth
