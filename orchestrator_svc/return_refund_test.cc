#include "orchestrator_svc/return_refund.h"

#include "gtest/gtest.h"

namespace oms::orchestrator {
namespace {

void AddLine(order::v1::Order& order, const std::string& sku, int64_t quantity, int64_t price) {
  order::v1::OrderLine* line = order.add_lines();
  line->set_sku(sku);
  line->set_quantity(quantity);
  line->mutable_unit_price()->set_minor_units(price);
  line->mutable_line_total()->set_minor_units(quantity * price);
  order.mutable_subtotal()->set_minor_units(order.subtotal().minor_units() + quantity * price);
}

// order_svc's sample order: 2 tea at 128.00 and a cup at 45.50 (301.50), 10.00 off, 13% tax
// on 291.50 = 37.90 (37.895 rounded), 8.00 shipping: 337.40 paid.
order::v1::Order SampleOrder() {
  order::v1::Order order;
  order.set_order_id("ord_1");
  order.set_currency_code("CNY");
  AddLine(order, "TEA", 2, 12800);
  AddLine(order, "CUP", 1, 4550);
  order.mutable_discount()->set_minor_units(1000);
  order.mutable_tax()->set_minor_units(3790);
  order.mutable_shipping_fee()->set_minor_units(800);
  order.mutable_total()->set_minor_units(33740);
  return order;
}

ReturnLines Lines(std::initializer_list<std::pair<std::string, int64_t>> lines) {
  ReturnLines out;
  for (const auto& [sku, quantity] : lines) {
    v1::ReturnLine* line = out.Add();
    line->set_sku(sku);
    line->set_quantity(quantity);
  }
  return out;
}

TEST(PriceReturnTest, UnitsCarryTheirShareOfTheDiscountAndTheTax) {
  absl::StatusOr<ReturnRefund> refund = PriceReturn(SampleOrder(), Lines({{"TEA", 2}}));
  ASSERT_TRUE(refund.ok()) << refund.status();
  // 256.00 of 301.50 list: 256.00 * 291.50 / 301.50 = 247.509 and 37.90 * 256 / 301.5 = 32.18.
  EXPECT_EQ(refund->goods.minor_units(), 24751);
  EXPECT_EQ(refund->tax.minor_units(), 3218);
  EXPECT_EQ(refund->goods.currency(), "CNY");
}

TEST(PriceReturnTest, EverythingBackIsWhatWasPaidLessShipping) {
  order::v1::Order order = SampleOrder();
  absl::StatusOr<ReturnRefund> refund = PriceReturn(order, Lines({{"CUP", 1}, {"TEA", 2}}));
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->goods.minor_units() + refund->tax.minor_units(),
            order.total().minor_units() - order.shipping_fee().minor_units());
  EXPECT_EQ(refund->tax.minor_units(), 3790);
}

TEST(PriceReturnTest, PartsAddUpWithinRoundingOfTheWhole) {
  order::v1::Order order = SampleOrder();
  int64_t parts = 0;
  for (const char* sku : {"TEA", "CUP"}) {
    for (int i = 0; i < (std::string(sku) == "TEA" ? 2 : 1); ++i) {
      absl::StatusOr<ReturnRefund> one = PriceReturn(order, Lines({{sku, 1}}));
      ASSERT_TRUE(one.ok());
      parts += one->goods.minor_units() + one->tax.minor_units();
    }
  }
  // Three units returned one at a time: each rounds on its own, by at most 1 per figure.
  EXPECT_LE(std::abs(parts - (33740 - 800)), 6);
}

TEST(PriceReturnTest, ASkuOnTwoLinesIsValuedAtItsAveragePrice) {
  order::v1::Order order;
  order.set_order_id("ord_2");
  order.set_currency_code("CNY");
  AddLine(order, "TEA", 1, 10000);
  AddLine(order, "TEA", 1, 0);  // a free one
  absl::StatusOr<ReturnRefund> refund = PriceReturn(order, Lines({{"TEA", 1}}));
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->goods.minor_units(), 5000);  // not 100.00 + 0 for a single unit
  EXPECT_EQ(refund->tax.minor_units(), 0);
}

TEST(PriceReturnTest, AFreeOrderRefundsNothing) {
  order::v1::Order order;
  order.set_order_id("ord_3");
  order.set_currency_code("JPY");
  AddLine(order, "GIFT", 1, 0);
  absl::StatusOr<ReturnRefund> refund = PriceReturn(order, Lines({{"GIFT", 1}}));
  ASSERT_TRUE(refund.ok()) << refund.status();
  EXPECT_EQ(refund->goods.minor_units(), 0);
  EXPECT_EQ(refund->tax.minor_units(), 0);
}

TEST(PriceReturnTest, UnitsTheOrderNeverHadAreWorthNothing) {
  absl::StatusOr<ReturnRefund> two = PriceReturn(SampleOrder(), Lines({{"TEA", 2}}));
  absl::StatusOr<ReturnRefund> more = PriceReturn(SampleOrder(), Lines({{"TEA", 3}, {"MUG", 1}}));
  ASSERT_TRUE(two.ok() && more.ok());
  EXPECT_EQ(more->goods, two->goods);
  EXPECT_EQ(more->tax, two->tax);
}

TEST(CheckReturnLinesTest, NamesEveryBadLine) {
  ReturnLines lines = Lines({{"TEA", 1}, {"", 1}, {"MUG", 1}, {"CUP", 0}});
  FieldErrors errors;
  CheckReturnLines(SampleOrder(), lines, "lines", errors);
  std::string message(errors.ToStatus().message());
  EXPECT_NE(message.find("lines[1].sku"), std::string::npos) << message;
  EXPECT_NE(message.find("lines[2].sku: MUG is not on order ord_1"), std::string::npos) << message;
  EXPECT_NE(message.find("lines[3].quantity"), std::string::npos) << message;
}

TEST(CheckReturnLinesTest, CountsASkuOverAllItsLinesDamagedOrNot) {
  ReturnLines lines = Lines({{"TEA", 2}, {"TEA", 1}});
  lines[1].set_damaged(true);
  FieldErrors errors;
  CheckReturnLines(SampleOrder(), lines, "lines", errors);
  EXPECT_NE(std::string(errors.ToStatus().message()).find("TEA x3 is more than the order has (2)"),
            std::string::npos)
      << errors.ToStatus();

  FieldErrors fits;
  CheckReturnLines(SampleOrder(), Lines({{"TEA", 1}, {"TEA", 1}, {"CUP", 1}}), "lines", fits);
  EXPECT_TRUE(fits.empty()) << fits.ToStatus();
}

TEST(CheckReturnLinesTest, NeedsALine) {
  FieldErrors errors;
  CheckReturnLines(SampleOrder(), ReturnLines(), "lines", errors);
  EXPECT_FALSE(errors.empty());
}

}  // namespace
}  // namespace oms::orchestrator
