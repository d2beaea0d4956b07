// A customer's tier from their order history (recency, frequency, money; what went wrong)
// and the tags a person set. Pure.
#ifndef OMS_ORCHESTRATOR_SVC_CUSTOMER_TIER_H_
#define OMS_ORCHESTRATOR_SVC_CUSTOMER_TIER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"

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

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_CUSTOMER_TIER_H_
