#include "inventory_svc/request_checks.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"

namespace oms::inventory {
namespace {

constexpr int kMaxLines = 500;
constexpr int64_t kMaxQuantity = 1'000'000;

}  // namespace

bool IsIdentifier(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

void CheckLines(const google::protobuf::RepeatedPtrField<v1::AllocationLine>& lines, bool required,
                FieldErrors& errors) {
  if (required && !errors.Check(!lines.empty(), "lines", "at least one line is required")) return;
  if (!errors.Check(lines.size() <= kMaxLines, "lines", "at most 500 lines")) return;
  std::set<std::string> seen;
  for (int i = 0; i < lines.size(); ++i) {
    std::string sku_field = IndexedField("lines", i, "sku");
    if (errors.Check(IsIdentifier(lines[i].sku()), sku_field, "is not a sku")) {
      errors.Check(seen.insert(lines[i].sku()).second, sku_field, "appears twice");
    }
    errors.Check(lines[i].quantity() > 0 && lines[i].quantity() <= kMaxQuantity,
                 IndexedField("lines", i, "quantity"), "must be between 1 and 1000000");
  }
}

}  // namespace oms::inventory
