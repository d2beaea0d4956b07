#include "orchestrator_svc/customer_tier.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {

std::string CustomerKey(const std::string& phone) {
  std::string key;
  for (char c : phone) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) key += c;
  }
  return !phone.empty() && phone.front() == '+' ? "+" + key : key;
}

TierVerdict TierOf(const std::vector<order::v1::Order>& orders,
                   const std::vector<v1::CustomerTag>& tags, absl::Time now, const TierRule& rule) {
  for (v1::CustomerTier tagged : {v1::RISKY, v1::VIP}) {
    for (const v1::CustomerTag& tag : tags) {
      if (absl::AsciiStrToUpper(tag.tag()) == v1::CustomerTier_Name(tagged)) {
        return {tagged,
                absl::StrCat("tagged ", tag.tag(), " by ", tag.set_by(), ": ", tag.reason())};
      }
    }
  }
  int failed = 0, completed = 0, recent_completed = 0;
  int64_t recent_spend = 0;
  for (const order::v1::Order& o : orders) {
    if (o.status() == order::v1::CANCELLED || o.status() == order::v1::REJECTED) ++failed;
    if (o.status() == order::v1::COMPLETED || o.status() == order::v1::DELIVERED) {
      ++completed;
      if (FromProtoTime(o.created_at()) > now - absl::Hours(24 * 365)) {
        ++recent_completed;
        recent_spend += o.total().minor_units();
      }
    }
  }
  const int total = static_cast<int>(orders.size());
  if (total >= 3 && 2 * failed >= total) {
    return {v1::RISKY, absl::StrCat(failed, " of ", total, " orders cancelled or refused")};
  }
  if (recent_completed >= rule.vip_completed_orders || recent_spend >= rule.vip_spend_minor) {
    return {v1::VIP, absl::StrCat(recent_completed, " orders completed in a year, ", recent_spend,
                                  " spent")};
  }
  if (completed == 0) return {v1::NEW, absl::StrCat("no completed order of ", total)};
  return {v1::REGULAR, absl::StrCat(completed, " of ", total, " orders completed")};
}

}  // namespace oms::orchestrator
