#include "platform/base/money.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace oms {
namespace {

Money Cny(int64_t minor) { return *Money::Of(minor, "CNY"); }

TEST(MoneyTest, RejectsUnknownCurrency) {
  EXPECT_EQ(Money::Of(1, "XYZ").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Money::Of(1, "cny").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Money::Of(1, "JPY").ok());
}

TEST(MoneyTest, AddsAndSubtractsExactly) {
  EXPECT_EQ(*Cny(10).Plus(Cny(20)), Cny(30));
  EXPECT_EQ(*Cny(10).Minus(Cny(25)), Cny(-15));
}

TEST(MoneyTest, MixingCurrenciesIsAnError) {
  absl::StatusOr<Money> sum = Cny(1).Plus(*Money::Of(1, "USD"));
  EXPECT_EQ(sum.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(sum.status().message().find("CNY and USD"), std::string::npos);
}

TEST(MoneyTest, OverflowIsAnErrorNotAWrap) {
  EXPECT_EQ(Cny(INT64_MAX).Plus(Cny(1)).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Cny(INT64_MAX / 2).Times(3).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Cny(INT64_MIN).Minus(Cny(1)).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(MoneyTest, BasisPointsRoundHalfAwayFromZero) {
  EXPECT_EQ(*Cny(1000).BasisPoints(1300), Cny(130));  // 13% of 10.00
  EXPECT_EQ(*Cny(50).BasisPoints(1000), Cny(5));      // exact
  EXPECT_EQ(*Cny(5).BasisPoints(1000), Cny(1));       // 0.5 -> 1
  EXPECT_EQ(*Cny(4).BasisPoints(1000), Cny(0));       // 0.4 -> 0
  EXPECT_EQ(*Cny(-5).BasisPoints(1000), Cny(-1));     // -0.5 -> -1
  EXPECT_EQ(*Cny(333).BasisPoints(650), Cny(22));     // 21.645 -> 22
}

TEST(MoneyTest, ShareIsExactAndRoundsHalfAwayFromZero) {
  EXPECT_EQ(*Cny(25600).Share(29150, 30150), Cny(24751));  // 24750.90 -> 24751
  EXPECT_EQ(*Cny(3).Share(1, 2), Cny(2));                  // 1.5 -> 2
  EXPECT_EQ(*Cny(-3).Share(1, 2), Cny(-2));                // -1.5 -> -2
  EXPECT_EQ(*Cny(3).Share(-1, 2), Cny(-2));                // the sign of the whole counts
  EXPECT_EQ(*Cny(10).Share(1, 3), Cny(3));                 // 3.33 -> 3
  EXPECT_EQ(*Cny(7).Share(7, 7), Cny(7));                  // the whole of itself
  // No intermediate overflow: the product is kept in 128 bits.
  EXPECT_EQ(*Cny(INT64_MAX).Share(INT64_MAX, INT64_MAX), Cny(INT64_MAX));
  EXPECT_EQ(Cny(INT64_MAX).Share(2, 1).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Cny(1).Share(1, 0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*Cny(5).Share(1, INT64_MIN), Cny(0));
}

TEST(MoneyTest, FormatsWithTheCurrencyDecimals) {
  EXPECT_EQ(Cny(12345).ToString(), "123.45 CNY");
  EXPECT_EQ(Cny(-5).ToString(), "-0.05 CNY");
  EXPECT_EQ(Money::Of(500, "JPY")->ToString(), "500 JPY");
  EXPECT_EQ(Money::Of(1234, "KWD")->ToString(), "1.234 KWD");
}

TEST(MoneyTest, RoundTripsThroughProto) {
  absl::StatusOr<Money> back = Money::FromProto(Cny(77).ToProto());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Cny(77));
}

TEST(MoneyTest, TextReadsLikeToStringAndNeverFailsOnACurrency) {
  EXPECT_EQ(MoneyText(1280, "CNY"), "12.80 CNY");
  EXPECT_EQ(MoneyText(-5, "USD"), "-0.05 USD");
  EXPECT_EQ(MoneyText(1280, "XYZ"), "1280 XYZ");  // unknown: minor units, as stored
  common::v1::Money proto;
  proto.set_currency_code("JPY");
  proto.set_minor_units(500);
  EXPECT_EQ(MoneyText(proto), "500 JPY");
}

}  // namespace
}  // namespace oms
