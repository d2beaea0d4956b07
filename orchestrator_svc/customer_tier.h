// A customer's tier from their order history (recency, frequency, money; what went wrong)
// and the tags a person set. Pure.
#ifndef OMS_ORCHESTRATOR_SVC_CUSTOMER_TIER_H_
#define OMS_ORCHESTRATOR_SVC_CUSTOMER_TIER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "orchestrator_svc/peers.h"

namespace oms::orchestrator {

struct TierRule {
  int vip_completed_orders = 5;      // completed in the last 365 days
  int64_t vip_spend_minor = 500000;  // completed totals in the last 365 days (any currency)
};

struct TierVerdict {
  v1::CustomerTier tier = v1::NEW;
  std::string reason;
};

// A tag named VIP or RISKY wins (RISKY first); then RISKY when 3 or more orders and half
// of them cancelled or refused; VIP by the rule; NEW with nothing completed; else REGULAR.
TierVerdict TierOf(const std::vector<order::v1::Order>& orders,
                   const std::vector<v1::CustomerTag>& tags, absl::Time now,
                   const TierRule& rule = {});

// "+86 138-0013-8000" -> "+8613800138000": the key tags are kept under.
std::string CustomerKey(const std::string& phone);
// The key of one customer reference: the normalised phone (as above), "email:<lower-case>"
// or "crm:<customer id>"; "" when the reference is unusable (a phone of under 5 digits).
std::string CustomerKey(const CustomerRef& who);
// Every key an order's customer is known by (phone, and email and customer id when the
// order has them): a tag set under any of them applies to the order.
std::vector<std::string> CustomerKeysOf(const order::v1::Customer& customer);
// INVALID_ARGUMENT unless exactly one of phone, email and customer_id is given and usable.
absl::StatusOr<CustomerRef> CustomerRefOf(const std::string& phone, const std::string& email,
                                          const std::string& customer_id);

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_CUSTOMER_TIER_H_
