#include "orchestrator_svc/review_rules.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace oms::orchestrator {
namespace {

bool PaidBy(const v1::ReviewRule& rule, order::v1::PaymentMethod method) {
  return std::find(rule.payment_methods().begin(), rule.payment_methods().end(), method) !=
         rule.payment_methods().end();
}

// The reason a rule matches, or "" when it does not.
std::string Matches(const v1::ReviewRule& rule, const order::v1::Order& order,
                    const CustomerHistory& history, const DeliveryOutlook& outlook,
                    const OrderScore& score) {
  int64_t total = order.total().minor_units();
  bool same_currency = rule.limit().currency_code() == order.currency_code();
  switch (rule.kind()) {
    case v1::ReviewRule::AMOUNT_ABOVE:
      if (same_currency && total > rule.limit().minor_units()) {
        return absl::StrCat("total ", total, " above ", rule.limit().minor_units());
      }
      return "";
    case v1::ReviewRule::CREDIT_LIMIT:
      if (same_currency && order.payment_method() != order::v1::PREPAID &&
          history.unpaid_minor + total > rule.limit().minor_units()) {
        return absl::StrCat("unpaid total ", history.unpaid_minor + total, " above credit limit ",
                            rule.limit().minor_units());
      }
      return "";
    case v1::ReviewRule::BLOCKLIST:
      for (const std::string& entry : rule.blocked()) {
        if (entry.empty()) continue;
        if (absl::StrContains(order.customer().phone(), entry) ||
            absl::StrContains(order.customer().shipping_address().street(), entry)) {
          return absl::StrCat("phone or address matches block list entry \"", entry, "\"");
        }
      }
      return "";
    case v1::ReviewRule::CUSTOMER_TIER:
      for (int tier : rule.tiers()) {
        if (tier == history.tier) {
          return absl::StrCat("customer tier ", v1::CustomerTier_Name(history.tier), " (",
                              history.tier_reason, ")");
        }
      }
      return "";
    case v1::ReviewRule::NEW_CUSTOMER_ABOVE:
      if (same_currency && history.previous_orders == 0 && total > rule.limit().minor_units()) {
        return absl::StrCat("first order of a new customer, total ", total, " above ",
                            rule.limit().minor_units());
      }
      return "";
    case v1::ReviewRule::PAYMENT_RISK:
      if (same_currency && PaidBy(rule, order.payment_method()) &&
          total > rule.limit().minor_units() &&
          (!rule.first_order_only() || history.previous_orders == 0)) {
        return absl::StrCat(order::v1::PaymentMethod_Name(order.payment_method()),
                            rule.first_order_only() ? " on the customer's first order" : "",
                            ", total ", total, " above ", rule.limit().minor_units());
      }
      return "";
    case v1::ReviewRule::DELIVERY_DATE_UNREACHABLE:
      if (order.has_requested_delivery_date() && outlook.known && !outlook.reachable) {
        return absl::StrCat("the requested delivery date cannot be met",
                            outlook.fastest.empty() ? "" : "; ", outlook.fastest);
      }
      return "";
    case v1::ReviewRule::UNUSUAL_ORDER:
      return score.unusual ? absl::StrCat("unusual order: ", score.explanation) : "";
    default:
      return "";
  }
}

}  // namespace

CustomerHistory HistoryOf(const order::v1::Order& order,
                          const std::vector<order::v1::Order>& others) {
  CustomerHistory customer;
  for (const order::v1::Order& other : others) {
    if (other.order_id() == order.order_id()) continue;
    ++customer.previous_orders;
    bool open = other.status() != order::v1::CANCELLED && other.status() != order::v1::REJECTED;
    // A payment refunded since (a return, a goodwill refund) was paid: nothing is owed.
    if (open && other.payment().status() == order::v1::Payment::UNPAID &&
        other.currency_code() == order.currency_code()) {
      customer.unpaid_minor += other.total().minor_units();
    }
  }
  return customer;
}

bool NeedsCustomerHistory(const std::vector<v1::ReviewRule>& rules) {
  return std::any_of(rules.begin(), rules.end(), [](const v1::ReviewRule& rule) {
    return rule.enabled() &&
           (rule.kind() == v1::ReviewRule::CREDIT_LIMIT ||
            rule.kind() == v1::ReviewRule::NEW_CUSTOMER_ABOVE ||
            rule.kind() == v1::ReviewRule::CUSTOMER_TIER ||
            (rule.kind() == v1::ReviewRule::PAYMENT_RISK && rule.first_order_only()));
  });
}

bool NeedsDeliveryOutlook(const std::vector<v1::ReviewRule>& rules, const order::v1::Order& order) {
  return order.has_requested_delivery_date() &&
         std::any_of(rules.begin(), rules.end(), [](const v1::ReviewRule& rule) {
           return rule.enabled() && rule.kind() == v1::ReviewRule::DELIVERY_DATE_UNREACHABLE;
         });
}

bool NeedsOrderScore(const std::vector<v1::ReviewRule>& rules) {
  return std::any_of(rules.begin(), rules.end(), [](const v1::ReviewRule& rule) {
    return rule.enabled() && rule.kind() == v1::ReviewRule::UNUSUAL_ORDER;
  });
}

v1::ReviewDecision EvaluateReview(const std::vector<v1::ReviewRule>& rules,
                                  const order::v1::Order& order, const CustomerHistory& history,
                                  const DeliveryOutlook& outlook, const OrderScore& score) {
  std::vector<v1::ReviewRule> ordered = rules;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.position() < b.position(); });
  v1::ReviewDecision decision;
  decision.set_order_id(order.order_id());
  decision.set_reviewer("auto");
  for (const v1::ReviewRule& rule : ordered) {
    if (!rule.enabled()) continue;
    std::string reason = Matches(rule, order, history, outlook, score);
    if (reason.empty()) continue;
    decision.set_outcome(rule.action() == v1::ReviewRule::REJECT
                             ? v1::ReviewDecision::REJECTED
                             : v1::ReviewDecision::MANUAL_REVIEW);
    decision.set_rule_id(rule.rule_id());
    decision.set_reason(reason);
    return decision;
  }
  decision.set_outcome(v1::ReviewDecision::APPROVED);
  decision.set_reason("no rule matched");
  return decision;
}

}  // namespace oms::orchestrator
