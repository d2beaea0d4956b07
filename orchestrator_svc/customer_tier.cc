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

std::string CustomerKey(const CustomerRef& who) {
  if (!who.email.empty()) return absl::StrCat("email:", absl::AsciiStrToLower(who.email));
  if (!who.customer_id.empty()) return absl::StrCat("crm:", who.customer_id);
  std::string key = CustomerKey(who.phone);
  return key.size() >= 5 ? key : "";
}

std::vector<std::string> CustomerKeysOf(const order::v1::Customer& customer) {
  std::vector<std::string> keys = {CustomerKey(customer.phone())};
  if (!customer.email().empty()) keys.push_back(CustomerKey(CustomerRef{"", customer.email(), ""}));
  if (!customer.customer_id().empty()) {
    keys.push_back(CustomerKey(CustomerRef{"", "", customer.customer_id()}));
  }
  return keys;
}

absl::StatusOr<CustomerRef> CustomerRefOf(const std::string& phone, const std::string& email,
                                          const std::string& customer_id) {
  int given = !phone.empty() + !email.empty() + !customer_id.empty();
  if (given != 1) {
    return absl::InvalidArgumentError(
        "phone, email, customer_id: exactly one is required (the customer's key)");
  }
  CustomerRef who{phone, email, customer_id};
  if (CustomerKey(who).empty()) return absl::InvalidArgumentError("phone: is not a phone number");
  if (email.size() > 254 || customer_id.size() > 200) {
    return absl::InvalidArgumentError("email, customer_id: too long");
  }
  return who;
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
