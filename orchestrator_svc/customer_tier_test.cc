#include "orchestrator_svc/customer_tier.h"

#include "gtest/gtest.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

order::v1::Order Order(order::v1::OrderStatus status, int64_t total, absl::Duration ago) {
  order::v1::Order o;
  o.set_status(status);
  o.set_currency_code("CNY");
  o.mutable_total()->set_minor_units(total);
  *o.mutable_created_at() = ToProtoTime(kNow - ago);
  return o;
}

TEST(CustomerTierTest, FromHistory) {
  EXPECT_EQ(TierOf({}, {}, kNow).tier, v1::NEW);
  EXPECT_EQ(TierOf({Order(order::v1::ALLOCATED, 100, absl::Hours(1))}, {}, kNow).tier, v1::NEW);
  std::vector<order::v1::Order> regular = {Order(order::v1::COMPLETED, 1000, absl::Hours(24))};
  EXPECT_EQ(TierOf(regular, {}, kNow).tier, v1::REGULAR);
  // Five completed in a year, or 5,000.00 spent: VIP; completed long ago does not count.
  std::vector<order::v1::Order> loyal(5, Order(order::v1::COMPLETED, 1000, absl::Hours(240)));
  EXPECT_EQ(TierOf(loyal, {}, kNow).tier, v1::VIP);
  EXPECT_EQ(TierOf({Order(order::v1::DELIVERED, 500000, absl::Hours(24))}, {}, kNow).tier, v1::VIP);
  std::vector<order::v1::Order> old(5, Order(order::v1::COMPLETED, 1000, absl::Hours(24 * 400)));
  EXPECT_EQ(TierOf(old, {}, kNow).tier, v1::REGULAR);
  // Half or more of three or more orders cancelled or refused: RISKY, with the figures.
  std::vector<order::v1::Order> risky = {Order(order::v1::CANCELLED, 1, absl::Hours(1)),
                                         Order(order::v1::REJECTED, 1, absl::Hours(2)),
                                         Order(order::v1::COMPLETED, 1, absl::Hours(3))};
  TierVerdict verdict = TierOf(risky, {}, kNow);
  EXPECT_EQ(verdict.tier, v1::RISKY);
  EXPECT_EQ(verdict.reason, "2 of 3 orders cancelled or refused");
}

TEST(CustomerTierTest, ATierTagOverridesAndSaysWhoSetIt) {
  v1::CustomerTag vip;
  vip.set_tag("vip");
  vip.set_set_by("ops");
  vip.set_reason("key account");
  TierVerdict verdict = TierOf({}, {vip}, kNow);
  EXPECT_EQ(verdict.tier, v1::VIP);
  EXPECT_EQ(verdict.reason, "tagged vip by ops: key account");
  v1::CustomerTag other;
  other.set_tag("wholesale");
  EXPECT_EQ(TierOf({}, {other}, kNow).tier, v1::NEW);
}

TEST(CustomerTierTest, KeysIgnoreFormatting) {
  EXPECT_EQ(CustomerKey("+86 138-0013-8000"), "+8613800138000");
  EXPECT_EQ(CustomerKey("138 0013 8000"), "13800138000");
}

}  // namespace
}  // namespace oms::orchestrator
