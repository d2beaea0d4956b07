// The review desk: rules sending orders to a person or refusing them, the queue, and the
// reviewer's decision carried on by the workflow.
// Against real in-process services (testing/orchestrator_fixture.h).
#include "absl/strings/match.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

class ReviewDeskTest : public testing::OrchestratorFixture {};

TEST_F(ReviewDeskTest, ManualReviewApproveMovesOnRejectStops) {
  v1::ReviewRule big;
  big.set_rule_id("big");
  big.set_position(1);
  big.set_kind(v1::ReviewRule::AMOUNT_ABOVE);
  big.mutable_limit()->set_currency_code("CNY");
  big.mutable_limit()->set_minor_units(10000);
  big.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(big);
  v1::PlaceOrderResponse first = Place(order::SampleCreateOrder("WEB-1"), "k1");
  v1::PlaceOrderResponse second = Place(order::SampleCreateOrder("WEB-2"), "k2");
  EXPECT_EQ(first.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(first.status(), order::v1::PENDING_REVIEW);
  EXPECT_EQ(first.review().rule_id(), "big");
  auto queue = orchestrator_->review_desk().ListQueue();
  ASSERT_EQ(queue->entries_size(), 2);
  EXPECT_EQ(queue->entries(0).order_id(), first.order_id());  // oldest first
  EXPECT_EQ(queue->entries(0).reasons(0).rule_id(), "big");

  v1::ReviewOrderRequest approve;
  approve.set_order_id(first.order_id());
  approve.set_reviewer("reviewer:chen");
  approve.set_note("known customer");
  ASSERT_TRUE(orchestrator_->review_desk().Approve(approve).ok());
  EXPECT_EQ(Order(first.order_id()).status(), order::v1::ALLOCATED);

  v1::ReviewOrderRequest reject;
  reject.set_order_id(second.order_id());
  reject.set_reviewer("reviewer:chen");
  ASSERT_TRUE(orchestrator_->review_desk().Reject(reject).ok());
  EXPECT_EQ(Order(second.order_id()).status(), order::v1::REJECTED);
  EXPECT_EQ(Workflow(second.order_id()).stage(), v1::REJECTED);
  EXPECT_EQ(orchestrator_->review_desk().Approve(reject).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(orchestrator_->review_desk().ListQueue()->entries_size(), 0);
}

TEST_F(ReviewDeskTest, BlockedCustomerIsRejectedAutomatically) {
  v1::ReviewRule block;
  block.set_rule_id("fraud");
  block.set_position(1);
  block.set_kind(v1::ReviewRule::BLOCKLIST);
  block.add_blocked("13800138000");
  block.set_action(v1::ReviewRule::REJECT);
  SaveRule(block);
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  EXPECT_EQ(placed.review().outcome(), v1::ReviewDecision::REJECTED);
  EXPECT_EQ(placed.status(), order::v1::REJECTED);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);
}

TEST_F(ReviewDeskTest, PaymentRiskRuleSendsCodAboveAnAmountToReview) {
  v1::ReviewRule cod;
  cod.set_rule_id("cod-big");
  cod.set_kind(v1::ReviewRule::PAYMENT_RISK);
  cod.add_payment_methods(order::v1::COD);
  cod.mutable_limit()->set_currency_code("CNY");
  cod.mutable_limit()->set_minor_units(20000);
  cod.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(cod);
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");  // COD 337.40
  EXPECT_EQ(placed.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(placed.review().rule_id(), "cod-big");
  order::v1::CreateOrderRequest prepaid = order::SampleCreateOrder("WEB-2");
  prepaid.set_payment_method(order::v1::PREPAID);
  EXPECT_EQ(Place(prepaid, "k2").stage(), v1::AWAITING_PAYMENT);
}

TEST_F(ReviewDeskTest, UrgencyAndDeliveryDateChooseTheCarrierAndTheReview) {
  order::v1::CreateOrderRequest urgent = order::SampleCreateOrder("WEB-1");
  urgent.mutable_customer()->mutable_shipping_address()->set_region("East");
  urgent.set_urgency(order::v1::URGENT);
  v1::PlaceOrderResponse placed = Place(urgent, "k1");
  std::vector<logistics::v1::Shipment> shipments = LiveShipments(placed.order_id());
  ASSERT_EQ(shipments.size(), 1u);
  EXPECT_EQ(shipments[0].service_level(), logistics::v1::EXPRESS);

  v1::ReviewRule date;
  date.set_rule_id("date");
  date.set_kind(v1::ReviewRule::DELIVERY_DATE_UNREACHABLE);
  date.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(date);
  order::v1::CreateOrderRequest tomorrow_noon = order::SampleCreateOrder("WEB-2");
  *tomorrow_noon.mutable_requested_delivery_date() = ToProtoTime(clock_.Now() + absl::Hours(2));
  v1::PlaceOrderResponse rushed = Place(tomorrow_noon, "k2");
  EXPECT_EQ(rushed.stage(), v1::PENDING_REVIEW);
  EXPECT_TRUE(absl::StrContains(rushed.review().reason(), "requested delivery date"))
      << rushed.review().reason();
  EXPECT_TRUE(absl::StrContains(rushed.review().reason(), "delivery promise"))
      << rushed.review().reason();
  ASSERT_TRUE(rushed.has_promise());  // said so at placement
  EXPECT_FALSE(rushed.promise().meets_requested_date());
  order::v1::CreateOrderRequest next_week = order::SampleCreateOrder("WEB-3");
  *next_week.mutable_requested_delivery_date() = ToProtoTime(clock_.Now() + absl::Hours(24 * 7));
  v1::PlaceOrderResponse kept = Place(next_week, "k3");
  EXPECT_EQ(kept.stage(), v1::AWAITING_PICKUP);
  EXPECT_TRUE(kept.promise().meets_requested_date());
  // The label is late against the customer's promise, not the carrier's own.
  std::vector<logistics::v1::Shipment> labels = LiveShipments(kept.order_id());
  ASSERT_EQ(labels.size(), 1u);
  EXPECT_EQ(FromProtoTime(labels[0].promised_delivery()),
            FromProtoTime(kept.promise().promised_delivery()));
}

TEST_F(ReviewDeskTest, ACustomerTaggedRiskyIsReviewedAndTheProfileShowsWhy) {
  Place(order::SampleCreateOrder("WEB-1"), "k1");
  v1::TagCustomerRequest tag;
  tag.set_phone("+8613800138000");  // the sample's "+86 138-0013-8000", formatted otherwise
  tag.set_tag("RISKY");
  tag.set_reason("chargebacks at another shop");
  absl::StatusOr<v1::CustomerProfile> tagged = orchestrator_->customers().Tag(tag);
  ASSERT_TRUE(tagged.ok()) << tagged.status();
  EXPECT_EQ(tagged->tier(), v1::RISKY);
  EXPECT_EQ(tagged->orders(), 1);
  v1::ReviewRule rule;
  rule.set_rule_id("risky");
  rule.set_kind(v1::ReviewRule::CUSTOMER_TIER);
  rule.add_tiers(v1::RISKY);
  rule.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(rule);
  v1::PlaceOrderResponse second = Place(order::SampleCreateOrder("WEB-2"), "k2");
  EXPECT_EQ(second.stage(), v1::PENDING_REVIEW);
  EXPECT_NE(second.review().reason().find("customer tier RISKY"), std::string::npos)
      << second.review().reason();
  v1::GetCustomerRequest get;
  get.set_phone("+86 138-0013-8000");
  absl::StatusOr<v1::CustomerProfile> profile = orchestrator_->customers().Get(get);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->orders(), 2);
  EXPECT_EQ(profile->recent_orders(0).order_id(), second.order_id());  // newest first
  ASSERT_EQ(profile->tags_size(), 1);
  EXPECT_EQ(profile->tags(0).reason(), "chargebacks at another shop");
  get.set_phone("+86 139-0000-0000");
  EXPECT_EQ(orchestrator_->customers().Get(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ReviewDeskTest, AnOrderAnalyticsFindsUnusualIsHeldWithItsExplanation) {
  v1::PlaceOrderResponse before = Place(order::SampleCreateOrder("WEB-0"), "k0");
  EXPECT_EQ(analytics_.calls, 0);  // no UNUSUAL_ORDER rule: no call per order
  v1::ReviewRule rule;
  rule.set_rule_id("unusual");
  rule.set_kind(v1::ReviewRule::UNUSUAL_ORDER);
  rule.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(rule);
  analytics_.flag_above = 1;  // the sample order's 3 units are "far above usual"
  v1::PlaceOrderResponse held = Place(order::SampleCreateOrder("WEB-1"), "k1");
  EXPECT_EQ(held.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(held.review().rule_id(), "unusual");
  EXPECT_EQ(held.review().reason(),
            "unusual order: units ordered: 3 is far above the customer's usual");
  // analytics_svc down: intake goes on, the rule does not match.
  analytics_.down = true;
  v1::PlaceOrderResponse taken = Place(order::SampleCreateOrder("WEB-2"), "k2");
  EXPECT_NE(taken.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(analytics_.calls, 2);
}

TEST_F(ReviewDeskTest, ACustomerIsFoundByEmailOrCrmIdAndTaggedUnderEitherKey) {
  for (const char* reference : {"ERP-1", "ERP-2"}) {
    order::v1::CreateOrderRequest request = order::SampleCreateOrder(reference);
    request.mutable_customer()->set_email("Li.Wei@Example.cn");
    request.mutable_customer()->set_customer_id("crm-7781");
    Place(request, reference);
  }
  v1::GetCustomerRequest by_email;
  by_email.set_email("li.wei@example.cn");  // case does not matter
  absl::StatusOr<v1::CustomerProfile> found = orchestrator_->customers().Get(by_email);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->customer_key(), "email:li.wei@example.cn");
  EXPECT_EQ(found->orders(), 2);
  v1::GetCustomerRequest by_crm;
  by_crm.set_customer_id("crm-7781");
  ASSERT_EQ(orchestrator_->customers().Get(by_crm)->orders(), 2);

  // A tag set under the CRM id applies wherever the customer is met: by phone too, and in
  // review.
  v1::TagCustomerRequest tag;
  tag.set_customer_id("crm-7781");
  tag.set_tag("VIP");
  tag.set_reason("key account per the CRM");
  absl::StatusOr<v1::CustomerProfile> tagged = orchestrator_->customers().Tag(tag);
  ASSERT_TRUE(tagged.ok()) << tagged.status();
  EXPECT_EQ(tagged->customer_key(), "crm:crm-7781");
  EXPECT_EQ(tagged->tier(), v1::VIP);
  v1::GetCustomerRequest by_phone;
  by_phone.set_phone("+86 138-0013-8000");
  EXPECT_EQ(orchestrator_->customers().Get(by_phone)->tier(), v1::VIP);
  v1::ReviewRule rule;
  rule.set_rule_id("vip-check");
  rule.set_kind(v1::ReviewRule::CUSTOMER_TIER);
  rule.add_tiers(v1::VIP);
  rule.set_action(v1::ReviewRule::MANUAL_REVIEW);
  SaveRule(rule);
  order::v1::CreateOrderRequest third = order::SampleCreateOrder("ERP-3");
  third.mutable_customer()->set_customer_id("crm-7781");
  EXPECT_EQ(Place(third, "ERP-3").stage(), v1::PENDING_REVIEW);

  v1::GetCustomerRequest two_keys;
  two_keys.set_phone("+86 138-0013-8000");
  two_keys.set_email("li.wei@example.cn");
  EXPECT_EQ(orchestrator_->customers().Get(two_keys).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(orchestrator_->customers().Get(v1::GetCustomerRequest()).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetCustomerRequest unknown;
  unknown.set_customer_id("crm-0000");
  EXPECT_EQ(orchestrator_->customers().Get(unknown).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ReviewDeskTest, AVipsBackorderIsServedBeforeAnEarlierRegularOne) {
  OrchestratorOptions options;
  options.backorder_priority_tiers = {v1::VIP};  // --backorder_priority_tiers=VIP
  orchestrator_ = std::make_unique<Orchestrator>(
      host_.get(),
      Peers{order_peer_.get(), inventory_peer_.get(), logistics_peer_.get(), &analytics_}, options);
  auto teas = [](const std::string& reference, const std::string& phone, int64_t quantity) {
    order::v1::CreateOrderRequest request = order::SampleCreateOrder(reference);
    request.mutable_lines()->DeleteSubrange(1, request.lines_size() - 1);
    request.mutable_lines(0)->set_quantity(quantity);
    request.mutable_customer()->set_phone(phone);
    return request;
  };
  Place(teas("VIP-1", "+86 139 0000 0001", 1), "vip-1");  // 19 teas left
  v1::TagCustomerRequest vip;
  vip.set_phone("+86 139 0000 0001");
  vip.set_tag("VIP");
  vip.set_reason("key account");
  ASSERT_TRUE(orchestrator_->customers().Tag(vip).ok());
  v1::PlaceOrderResponse regular = Place(teas("REG-1", "+86 138 0000 0002", 24), "reg-1");
  ASSERT_EQ(Backorders(regular.order_id()).size(), 1u);  // 19 reserved, 5 waiting
  v1::PlaceOrderResponse later = Place(teas("VIP-2", "+86 139 0000 0001", 3), "vip-2");
  std::vector<inventory::v1::Backorder> vip_waiting = Backorders(later.order_id());
  ASSERT_EQ(vip_waiting.size(), 1u);  // 3 waiting, queued after the 5 but ahead of them
  EXPECT_EQ(vip_waiting[0].priority(), 2);
  EXPECT_EQ(vip_waiting[0].queue_position(), 1);

  Receive("TEA-LONGJING-250G", 3);
  Pump();
  EXPECT_TRUE(Backorders(later.order_id()).empty());  // the VIP's came first
  std::vector<inventory::v1::Backorder> waiting = Backorders(regular.order_id());
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].quantity_waiting(), 5);
  EXPECT_EQ(waiting[0].priority(), 0);
}

}  // namespace
}  // namespace oms::orchestrator
