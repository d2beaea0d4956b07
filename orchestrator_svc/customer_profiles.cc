#include "orchestrator_svc/customer_profiles.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/customer_store.h"
#include "orchestrator_svc/customer_tier.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/satisfaction_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

constexpr int kOrderLimit = 500;
constexpr int kRecentOrders = 50;

// Everything orchestrator_svc holds about these orders.
absl::Status AddRecords(Session& s, const std::vector<order::v1::Order>& orders, absl::Time now,
                        v1::CustomerProfile& profile) {
  for (const order::v1::Order& o : orders) {
    v1::ListExceptionsRequest filter;
    filter.set_order_id(o.order_id());
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionTicket> tickets,
                         store::ListTickets(s, filter, now));
    for (auto& t : tickets) *profile.add_tickets() = std::move(t);
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ReturnRecord> returns, store::ReturnsOf(s, o.order_id()));
    for (auto& r : returns) *profile.add_returns() = std::move(r);
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Feedback> feedback,
                         store::ListFeedback(s, o.order_id(), ""));
    for (auto& f : feedback) *profile.add_feedback() = std::move(f);
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Compensation> given,
                         store::ListCompensations(s, "", o.order_id()));
    for (auto& c : given) *profile.add_compensations() = std::move(c);
  }
  return absl::OkStatus();
}

void AddFigures(const std::vector<order::v1::Order>& orders, v1::CustomerProfile& profile) {
  std::map<std::string, int64_t> spent;
  for (const order::v1::Order& o : orders) {
    profile.set_orders(profile.orders() + 1);
    if (o.status() == order::v1::CANCELLED || o.status() == order::v1::REJECTED) {
      profile.set_cancelled_or_rejected(profile.cancelled_or_rejected() + 1);
    }
    if (o.status() == order::v1::COMPLETED || o.status() == order::v1::DELIVERED) {
      profile.set_completed(profile.completed() + 1);
      spent[o.currency_code()] += o.total().minor_units();
    }
  }
  for (const auto& [currency, minor] : spent) {
    common::v1::Money* m = profile.add_spent();
    m->set_currency_code(currency);
    m->set_minor_units(minor);
  }
}

}  // namespace

absl::StatusOr<v1::CustomerProfile> CustomerProfiles::Get(const v1::GetCustomerRequest& request) {
  OMS_ASSIGN_OR_RETURN(CustomerRef who,
                       CustomerRefOf(request.phone(), request.email(), request.customer_id()));
  std::string key = CustomerKey(who);
  OMS_ASSIGN_OR_RETURN(std::vector<order::v1::Order> orders,
                       context_->peers().order->ListOfCustomer(who, kOrderLimit));
  if (orders.empty()) return absl::NotFoundError(absl::StrCat("no order has the customer ", key));
  std::sort(orders.begin(), orders.end(), [](const auto& a, const auto& b) {
    return ProtoMicros(a.created_at()) > ProtoMicros(b.created_at());
  });
  v1::CustomerProfile profile;
  profile.set_customer_key(key);
  profile.set_name(orders.front().customer().name());
  profile.set_email(orders.front().customer().email());
  *profile.mutable_last_order_at() = orders.front().created_at();
  AddFigures(orders, profile);
  absl::Time now = context_->Now();
  std::vector<v1::CustomerTag> tags;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    // Tags set under any key the customer is known by (as review sees them).
    std::vector<std::string> keys = CustomerKeysOf(orders.front().customer());
    keys.push_back(key);
    OMS_ASSIGN_OR_RETURN(tags, store::CustomerTags(s, keys));
    return AddRecords(s, orders, now, profile);
  }));
  TierRule rule{context_->options().vip_completed_orders, context_->options().vip_spend_minor};
  TierVerdict verdict = TierOf(orders, tags, now, rule);
  profile.set_tier(verdict.tier);
  profile.set_tier_reason(verdict.reason);
  for (v1::CustomerTag& tag : tags) *profile.add_tags() = std::move(tag);
  for (int i = 0; i < static_cast<int>(orders.size()) && i < kRecentOrders; ++i) {
    *profile.add_recent_orders() = orders[i];
  }
  return profile;
}

absl::StatusOr<v1::CustomerProfile> CustomerProfiles::Tag(const v1::TagCustomerRequest& request) {
  OMS_ASSIGN_OR_RETURN(CustomerRef who,
                       CustomerRefOf(request.phone(), request.email(), request.customer_id()));
  std::string key = CustomerKey(who);
  FieldErrors errors;
  if (errors.Required(request.tag(), "tag")) errors.MaxLength(request.tag(), 32, "tag");
  if (!request.remove() && errors.Required(request.reason(), "reason")) {
    errors.MaxLength(request.reason(), 500, "reason");
  }
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::CustomerTag tag;
  tag.set_tag(request.tag());
  tag.set_set_by(auth::CurrentActor());
  tag.set_reason(request.reason());
  *tag.mutable_set_at() = ToProtoTime(context_->Now());
  v1::CustomerTag ignored;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      "TagCustomer", request.idempotency_key(), request, &ignored, [&](Session& s) {
        return request.remove() ? store::RemoveCustomerTag(s, key, request.tag())
                                : store::SaveCustomerTag(s, key, tag);
      }));
  v1::GetCustomerRequest get;
  get.set_phone(request.phone());
  get.set_email(request.email());
  get.set_customer_id(request.customer_id());
  return Get(get);
}

}  // namespace oms::orchestrator
