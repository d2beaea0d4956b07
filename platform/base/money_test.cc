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

}  // namespace
}  // namespace oms
