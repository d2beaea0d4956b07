#include "order_svc/order_pricing.h"

#include "gtest/gtest.h"

namespace oms::order {
namespace {

v1::Order Order(std::initializer_list<std::pair<int64_t, int64_t>> lines, int64_t discount,
                int64_t shipping, int tax_bp) {
  v1::Order order;
  order.set_currency_code("CNY");
  for (auto [quantity, unit] : lines) {
    v1::OrderLine* line = order.add_lines();
    line->set_quantity(quantity);
    line->mutable_unit_price()->set_currency_code("CNY");
    line->mutable_unit_price()->set_minor_units(unit);
  }
  order.mutable_discount()->set_currency_code("CNY");
  order.mutable_discount()->set_minor_units(discount);
  order.mutable_shipping_fee()->set_currency_code("CNY");
  order.mutable_shipping_fee()->set_minor_units(shipping);
  order.set_tax_rate_bp(tax_bp);
  return order;
}

TEST(OrderPricingTest, ComputesTotalsExactly) {
  v1::Order order = Order({{2, 12800}, {1, 4550}}, 1000, 800, 1300);
  ASSERT_TRUE(PriceOrder(order).ok());
  EXPECT_EQ(order.lines(0).line_no(), 1);
  EXPECT_EQ(order.lines(1).line_no(), 2);
  EXPECT_EQ(order.lines(0).line_total().minor_units(), 25600);
  EXPECT_EQ(order.subtotal().minor_units(), 30150);
  // (30150 - 1000) * 13% = 3789.5 -> 3790
  EXPECT_EQ(order.tax().minor_units(), 3790);
  EXPECT_EQ(order.total().minor_units(), 30150 - 1000 + 3790 + 800);
  EXPECT_EQ(order.total().currency_code(), "CNY");
}

TEST(OrderPricingTest, MissingDiscountAndShippingAreZero) {
  v1::Order order = Order({{3, 333}}, 0, 0, 0);
  order.clear_discount();
  order.clear_shipping_fee();
  ASSERT_TRUE(PriceOrder(order).ok());
  EXPECT_EQ(order.total().minor_units(), 999);
  EXPECT_EQ(order.discount().currency_code(), "CNY");
}

TEST(OrderPricingTest, DiscountAboveSubtotalIsRejected) {
  v1::Order order = Order({{1, 100}}, 101, 0, 0);
  absl::Status status = PriceOrder(order);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("discount"), std::string::npos);
}

TEST(OrderPricingTest, OverflowIsAnErrorNotAWrongTotal) {
  v1::Order order = Order({{10'000'000, 1'000'000'000'000}}, 0, 0, 0);
  EXPECT_EQ(PriceOrder(order).code(), absl::StatusCode::kOutOfRange);
}

// Found by pricing_fuzzer: a negative tax rate (or amount) made a negative total.
TEST(OrderPricingTest, NegativeRatesAndAmountsAreRejectedNamingTheField) {
  v1::Order negative_tax = Order({{1, 100}}, 0, 0, -304367762);
  absl::Status status = PriceOrder(negative_tax);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("tax_rate_bp"), std::string::npos) << status;
  v1::Order negative_price = Order({{1, -5}}, 0, -1, 0);
  status = PriceOrder(negative_price);
  EXPECT_NE(status.message().find("lines[0].unit_price"), std::string::npos) << status;
  EXPECT_NE(status.message().find("shipping_fee"), std::string::npos) << status;
  v1::Order no_quantity = Order({{0, 100}}, 0, 0, 0);
  EXPECT_NE(PriceOrder(no_quantity).message().find("lines[0].quantity"), std::string::npos);
}

}  // namespace
}  // namespace oms::order
