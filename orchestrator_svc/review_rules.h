#ifndef OMS_ORCHESTRATOR_SVC_REVIEW_RULES_H_
#define OMS_ORCHESTRATOR_SVC_REVIEW_RULES_H_

#include <vector>

#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms::orchestrator {

// What the rules know about the customer besides the order itself.
struct CustomerHistory {
  int previous_orders = 0;   // other orders with the same phone
  int64_t unpaid_minor = 0;  // their totals not yet paid (open orders, same currency)
};

// Whether any enabled rule looks at the customer's other orders (CREDIT_LIMIT,
// NEW_CUSTOMER_ABOVE): only then is the history worth a call to order_svc.
bool NeedsCustomerHistory(const std::vector<v1::ReviewRule>& rules);

// Evaluates enabled rules in ascending position; the first that matches decides (REJECT or
// MANUAL_REVIEW); none matching approves. Pure.
v1::ReviewDecision EvaluateReview(const std::vector<v1::ReviewRule>& rules,
                                  const order::v1::Order& order, const CustomerHistory& history);

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_REVIEW_RULES_H_
