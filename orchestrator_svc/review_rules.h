#ifndef OMS_ORCHESTRATOR_SVC_REVIEW_RULES_H_
#define OMS_ORCHESTRATOR_SVC_REVIEW_RULES_H_

#include <string>
#include <vector>

#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms::orchestrator {

// What the rules know about the customer besides the order itself.
struct CustomerHistory {
  int previous_orders = 0;   // other orders with the same phone
  int64_t unpaid_minor = 0;  // their totals not yet paid (open orders, same currency)
  v1::CustomerTier tier = v1::CUSTOMER_TIER_UNSPECIFIED;  // with CUSTOMER_TIER rules
  std::string tier_reason;
};

// Whether the order's requested delivery date can be met at all (the fastest carrier quote
// from the destination's own region); unknown when nobody asked.
struct DeliveryOutlook {
  bool known = false;
  bool reachable = true;
  std::string fastest;  // why, for the reason ("the fastest carrier is sf EXPRESS, 1 day(s)")
};

// What analytics_svc's anomaly detection said of the order (with an UNUSUAL_ORDER rule).
struct OrderScore {
  bool unusual = false;
  std::string explanation;  // every finding, "; "-separated
};

// The customer's history from their other orders (same phone), excluding `order` itself.
CustomerHistory HistoryOf(const order::v1::Order& order,
                          const std::vector<order::v1::Order>& others);

// Whether any enabled rule looks at the customer's other orders (CREDIT_LIMIT,
// NEW_CUSTOMER_ABOVE, PAYMENT_RISK with first_order_only): only then is the history worth a
// call to order_svc.
bool NeedsCustomerHistory(const std::vector<v1::ReviewRule>& rules);
// Whether an enabled DELIVERY_DATE_UNREACHABLE rule applies to `order` (it has a date):
// only then is a quote worth a call to logistics_svc.
bool NeedsDeliveryOutlook(const std::vector<v1::ReviewRule>& rules, const order::v1::Order& order);
// Whether an enabled UNUSUAL_ORDER rule needs analytics_svc to score the order.
bool NeedsOrderScore(const std::vector<v1::ReviewRule>& rules);

// Evaluates enabled rules in ascending position; the first that matches decides (REJECT or
// MANUAL_REVIEW); none matching approves. Pure.
v1::ReviewDecision EvaluateReview(const std::vector<v1::ReviewRule>& rules,
                                  const order::v1::Order& order, const CustomerHistory& history,
                                  const DeliveryOutlook& outlook = {},
                                  const OrderScore& score = {});

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_REVIEW_RULES_H_
