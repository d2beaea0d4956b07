// RECEIVED: the automatic review. The enabled rules decide (review_rules.h) from the order,
// the customer's other orders and, for a requested delivery date, the fastest carrier quote;
// the decision is stored with the workflow and the order moves on to review, payment,
// allocation or rejection.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "orchestrator_svc/customer_store.h"
#include "orchestrator_svc/customer_tier.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/review_rules.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/log.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

constexpr int kHistoryLimit = 500;

v1::Stage NextAfter(const v1::ReviewDecision& decision, const v1::Workflow& wf) {
  switch (decision.outcome()) {
    case v1::ReviewDecision::REJECTED:
      return v1::REJECTED;
    case v1::ReviewDecision::MANUAL_REVIEW:
      return v1::PENDING_REVIEW;
    default:
      return wf.payment_method() == order::v1::PREPAID && !wf.paid() ? v1::AWAITING_PAYMENT
                                                                     : v1::ALLOCATING;
  }
}

// analytics_svc's verdict on the order. Best effort: reports are not a reason to stop intake,
// so an unreachable analytics_svc (or none configured) leaves the rule unmatched.
OrderScore ScoreOf(AnalyticsPeer* analytics, const order::v1::Order& order) {
  OrderScore score;
  if (analytics == nullptr) return score;
  analytics::v1::ScoreOrderRequest request;
  request.set_order_id(order.order_id());
  request.set_customer(order.customer().phone());
  request.set_currency_code(order.currency_code());
  request.set_total_minor(order.total().minor_units());
  for (const order::v1::OrderLine& line : order.lines()) {
    auto* l = request.add_lines();
    l->set_sku(line.sku());
    l->set_quantity(line.quantity());
  }
  absl::StatusOr<analytics::v1::ScoreOrderResponse> scored = analytics->ScoreOrder(request);
  if (!scored.ok()) {
    LogWarning("UNUSUAL_ORDER review of ", order.order_id(),
               " skipped: ", scored.status().ToString());
    return score;
  }
  for (const analytics::v1::Anomaly& a : scored->anomalies()) {
    score.unusual = true;
    absl::StrAppend(&score.explanation, score.explanation.empty() ? "" : "; ", a.explanation());
  }
  return score;
}

}  // namespace

absl::StatusOr<TierVerdict> StageSteps::TierFor(const order::v1::Order& order,
                                                std::vector<order::v1::Order>& others) {
  OMS_ASSIGN_OR_RETURN(others, context_->peers().order->ListOfCustomer(
                                   CustomerRef{order.customer().phone(), "", ""}, kHistoryLimit));
  std::vector<v1::CustomerTag> tags;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(tags, store::CustomerTags(s, CustomerKeysOf(order.customer())));
    return absl::OkStatus();
  }));
  // The tier as GetCustomer shows it: this order counts among the customer's orders.
  return TierOf(
      others, tags, context_->Now(),
      TierRule{context_->options().vip_completed_orders, context_->options().vip_spend_minor});
}

absl::StatusOr<bool> StageSteps::Prioritised(const order::v1::Order& order) {
  const std::vector<v1::CustomerTier>& first = context_->options().backorder_priority_tiers;
  if (first.empty()) return false;
  std::vector<order::v1::Order> others;
  OMS_ASSIGN_OR_RETURN(TierVerdict verdict, TierFor(order, others));
  return std::find(first.begin(), first.end(), verdict.tier) != first.end();
}

absl::StatusOr<DeliveryOutlook> StageSteps::OutlookFor(const order::v1::Order& order,
                                                       const std::string& region) {
  if (order.has_promised_delivery()) {  // what the customer was promised at placement
    DeliveryOutlook outlook;
    outlook.known = true;
    outlook.reachable =
        FromProtoTime(order.promised_delivery()) <= FromProtoTime(order.requested_delivery_date());
    outlook.fastest =
        absl::StrCat("the delivery promise is ",
                     google::protobuf::util::TimeUtil::ToString(order.promised_delivery()));
    return outlook;
  }
  logistics::v1::QuoteShipmentRequest quote;
  quote.set_origin_region(region);  // the best case: stock next door
  quote.set_destination_region(region);
  int64_t weight = 0;
  for (const order::v1::OrderLine& line : order.lines()) {
    absl::StatusOr<inventory::v1::Product> product = context_->Product(line.sku());
    weight += (product.ok() ? std::max<int64_t>(product->weight_g(), 1) : 1) * line.quantity();
  }
  quote.set_weight_g(weight);
  quote.set_urgency(logistics::v1::LOW);
  *quote.mutable_deadline() = order.requested_delivery_date();
  OMS_ASSIGN_OR_RETURN(logistics::v1::QuoteShipmentResponse quoted,
                       context_->peers().logistics->Quote(quote));
  DeliveryOutlook outlook;
  outlook.known = true;
  outlook.reachable = false;
  for (const logistics::v1::ShippingOption& option : quoted.options()) {
    outlook.reachable = outlook.reachable || option.meets_deadline();
  }
  if (quoted.options_size() > 0) {
    const logistics::v1::ShippingOption& first = quoted.options(0);
    outlook.fastest = absl::StrCat("the fastest carrier is ", first.carrier_id(), " ",
                                   logistics::v1::ServiceLevel_Name(first.service_level()), ", ",
                                   first.transit_days(), " day(s)");
  }
  return outlook;
}

absl::Status StageSteps::Review(v1::Workflow& wf, Learned& learned, StepOutcome& out) {
  if (!learned.order.has_value() || learned.order->version() < wf.order_version()) {
    OMS_ASSIGN_OR_RETURN(learned.order, context_->peers().order->Get(wf.order_id()));
  }
  const order::v1::Order& order = *learned.order;
  CopyOrder(order, wf);
  std::vector<v1::ReviewRule> rules;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(rules, store::ListReviewRules(s));
    return absl::OkStatus();
  }));
  // Asked for only when such a rule is on: otherwise a call per order for nothing.
  CustomerHistory history;
  if (NeedsCustomerHistory(rules)) {
    std::vector<order::v1::Order> others;
    OMS_ASSIGN_OR_RETURN(TierVerdict verdict, TierFor(order, others));
    history = HistoryOf(order, others);
    history.tier = verdict.tier;
    history.tier_reason = verdict.reason;
  }
  DeliveryOutlook outlook;
  if (NeedsDeliveryOutlook(rules, order)) {
    OMS_ASSIGN_OR_RETURN(outlook, OutlookFor(order, wf.region()));
  }
  OrderScore score;
  if (NeedsOrderScore(rules)) score = ScoreOf(context_->peers().analytics, order);
  v1::ReviewDecision decision = EvaluateReview(rules, order, history, outlook, score);
  absl::Time now = context_->Now();
  *decision.mutable_decided_at() = ToProtoTime(now);
  out.decision = decision;
  v1::Stage next = NextAfter(decision, wf);
  if (next == v1::REJECTED || next == v1::PENDING_REVIEW) {
    *wf.mutable_status_note() =
        MakeNote("orchestrator",
                 absl::StrCat("review rule ", decision.rule_id(), ": ", decision.reason()), now);
  }
  Enter(wf, next, now, context_->options());
  return absl::OkStatus();
}

}  // namespace oms::orchestrator
