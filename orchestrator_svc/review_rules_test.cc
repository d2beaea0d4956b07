#include "orchestrator_svc/review_rules.h"

#include "gtest/gtest.h"

namespace oms::orchestrator {
namespace {

v1::ReviewRule Rule(const std::string& id, int position, v1::ReviewRule::Kind kind, int64_t limit,
                    v1::ReviewRule::Action action) {
  v1::ReviewRule rule;
  rule.set_rule_id(id);
  rule.set_position(position);
  rule.set_kind(kind);
  rule.mutable_limit()->set_currency_code("CNY");
  rule.mutable_limit()->set_minor_units(limit);
  rule.set_action(action);
  rule.set_enabled(true);
  return rule;
}

order::v1::Order OrderOf(int64_t total, const std::string& phone = "+8613800138000") {
  order::v1::Order order;
  order.set_order_id("ord_1");
  order.set_currency_code("CNY");
  order.mutable_total()->set_currency_code("CNY");
  order.mutable_total()->set_minor_units(total);
  order.mutable_customer()->set_phone(phone);
  order.mutable_customer()->mutable_shipping_address()->set_street("世纪大道100号");
  order.set_payment_method(order::v1::COD);
  return order;
}

// Owed: what the customer's open orders have not paid. A refunded order is not owed (it used
// to count as unpaid, and a customer who had returned goods hit the credit limit).
TEST(ReviewRulesTest, HistoryCountsOnlyUnpaidOpenOrdersAsOwed) {
  auto other = [](const std::string& id, int64_t total, order::v1::OrderStatus status,
                  order::v1::Payment::Status paid) {
    order::v1::Order o = OrderOf(total);
    o.set_order_id(id);
    o.set_status(status);
    o.mutable_payment()->set_status(paid);
    return o;
  };
  CustomerHistory history = HistoryOf(
      OrderOf(100),
      {other("ord_1", 100, order::v1::RECEIVED, order::v1::Payment::UNPAID),  // this order
       other("ord_2", 2000, order::v1::SHIPPED, order::v1::Payment::UNPAID),
       other("ord_3", 30000, order::v1::DELIVERED, order::v1::Payment::PAID),
       other("ord_4", 40000, order::v1::COMPLETED, order::v1::Payment::PARTIALLY_REFUNDED),
       other("ord_5", 50000, order::v1::REFUNDED, order::v1::Payment::REFUNDED),
       other("ord_6", 60000, order::v1::CANCELLED, order::v1::Payment::UNPAID)});
  EXPECT_EQ(history.previous_orders, 5);
  EXPECT_EQ(history.unpaid_minor, 2000);
}

TEST(ReviewRulesTest, NoRuleMatchingApproves) {
  auto decision = EvaluateReview(
      {Rule("big", 1, v1::ReviewRule::AMOUNT_ABOVE, 100000, v1::ReviewRule::MANUAL_REVIEW)},
      OrderOf(5000), {3, 0});
  EXPECT_EQ(decision.outcome(), v1::ReviewDecision::APPROVED);
  EXPECT_EQ(decision.rule_id(), "");
}

TEST(ReviewRulesTest, FirstMatchingRuleInPositionOrderDecides) {
  v1::ReviewRule block = Rule("block", 1, v1::ReviewRule::BLOCKLIST, 0, v1::ReviewRule::REJECT);
  block.add_blocked("13800138000");
  std::vector<v1::ReviewRule> rules = {
      Rule("big", 2, v1::ReviewRule::AMOUNT_ABOVE, 100, v1::ReviewRule::MANUAL_REVIEW), block};
  auto decision = EvaluateReview(rules, OrderOf(5000), {3, 0});
  EXPECT_EQ(decision.outcome(), v1::ReviewDecision::REJECTED);
  EXPECT_EQ(decision.rule_id(), "block");
  auto other = EvaluateReview(rules, OrderOf(5000, "+8613900000000"), {3, 0});
  EXPECT_EQ(other.outcome(), v1::ReviewDecision::MANUAL_REVIEW);
  EXPECT_EQ(other.rule_id(), "big");
}

TEST(ReviewRulesTest, CreditLimitCountsOtherUnpaidOrders) {
  std::vector<v1::ReviewRule> rules = {
      Rule("credit", 1, v1::ReviewRule::CREDIT_LIMIT, 10000, v1::ReviewRule::MANUAL_REVIEW)};
  EXPECT_EQ(EvaluateReview(rules, OrderOf(4000), {2, 5000}).outcome(),
            v1::ReviewDecision::APPROVED);
  EXPECT_EQ(EvaluateReview(rules, OrderOf(6000), {2, 5000}).outcome(),
            v1::ReviewDecision::MANUAL_REVIEW);
}

TEST(ReviewRulesTest, NewCustomerThresholdOnlyForTheFirstOrder) {
  std::vector<v1::ReviewRule> rules = {
      Rule("new", 1, v1::ReviewRule::NEW_CUSTOMER_ABOVE, 1000, v1::ReviewRule::MANUAL_REVIEW)};
  EXPECT_EQ(EvaluateReview(rules, OrderOf(2000), {0, 0}).outcome(),
            v1::ReviewDecision::MANUAL_REVIEW);
  EXPECT_EQ(EvaluateReview(rules, OrderOf(2000), {1, 0}).outcome(), v1::ReviewDecision::APPROVED);
}

TEST(ReviewRulesTest, DisabledRulesAreSkipped) {
  v1::ReviewRule rule = Rule("big", 1, v1::ReviewRule::AMOUNT_ABOVE, 1, v1::ReviewRule::REJECT);
  rule.set_enabled(false);
  EXPECT_EQ(EvaluateReview({rule}, OrderOf(5000), {}).outcome(), v1::ReviewDecision::APPROVED);
}

TEST(ReviewRulesTest, HistoryIsNeededOnlyByEnabledCustomerRules) {
  EXPECT_FALSE(NeedsCustomerHistory({}));
  EXPECT_FALSE(NeedsCustomerHistory(
      {Rule("amount", 1, v1::ReviewRule::AMOUNT_ABOVE, 100, v1::ReviewRule::MANUAL_REVIEW)}));
  v1::ReviewRule credit =
      Rule("credit", 2, v1::ReviewRule::CREDIT_LIMIT, 100, v1::ReviewRule::MANUAL_REVIEW);
  EXPECT_TRUE(NeedsCustomerHistory({credit}));
  credit.set_enabled(false);
  EXPECT_FALSE(NeedsCustomerHistory({credit}));
  EXPECT_TRUE(NeedsCustomerHistory(
      {Rule("new", 3, v1::ReviewRule::NEW_CUSTOMER_ABOVE, 100, v1::ReviewRule::MANUAL_REVIEW)}));
}

}  // namespace
}  // namespace oms::orchestrator
