#include "order_svc/order_validation.h"

#include "gtest/gtest.h"
#include "order_svc/test_orders.h"

namespace oms::order {
namespace {

std::string Problems(const v1::CreateOrderRequest& request) {
  return std::string(ValidateCreateOrder(request).message());
}

TEST(OrderValidationTest, SampleOrderIsValid) {
  EXPECT_TRUE(ValidateCreateOrder(SampleCreateOrder()).ok());
}

TEST(OrderValidationTest, ReportsEveryBadFieldAtOnce) {
  v1::CreateOrderRequest request = SampleCreateOrder();
  request.mutable_customer()->set_name("");
  request.mutable_customer()->set_phone("call me");
  request.mutable_customer()->set_email("not-an-email");
  request.mutable_customer()->mutable_shipping_address()->set_postal_code("ABC");
  request.mutable_lines(1)->set_quantity(0);
  absl::Status status = ValidateCreateOrder(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"customer.name", "customer.phone", "customer.email",
                            "customer.shipping_address.postal_code", "lines[1].quantity"}) {
    EXPECT_NE(status.message().find(field), std::string::npos) << field << ": " << status;
  }
}

TEST(OrderValidationTest, PhoneFormats) {
  FieldErrors errors;
  CheckPhone("+86 138 0013 8000", "p", errors);
  CheckPhone("(021) 6888-1234", "p", errors);
  CheckPhone("13800138000", "p", errors);
  EXPECT_TRUE(errors.empty()) << errors.ToStatus();
  for (const char* bad : {"123", "+86 138 0013 8000 1234 5", "138-abc-8000", "++8613800138000"}) {
    FieldErrors e;
    CheckPhone(bad, "p", e);
    EXPECT_FALSE(e.empty()) << bad;
  }
  EXPECT_EQ(NormalizePhone("+86 (138) 0013-8000"), "+8613800138000");
}

TEST(OrderValidationTest, PostalCodesPerCountry) {
  struct Case {
    const char* country;
    const char* code;
    bool ok;
  } cases[] = {
      {"CN", "200120", true},     {"CN", "20012", false}, {"US", "94105", true},
      {"US", "94105-1234", true}, {"US", "9410", false},  {"GB", "SW1A 1AA", true},
      {"GB", "sw1a 1aa", true},   {"GB", "12345", false}, {"JP", "100-0001", true},
      {"CA", "K1A 0B1", true},    {"DE", "1011", false},  {"HK", "", true},
      {"BR", "01310-100", true},  {"BR", "", false},
  };
  for (const Case& c : cases) {
    v1::Address address = SampleCreateOrder().customer().shipping_address();
    address.set_country_code(c.country);
    address.set_postal_code(c.code);
    FieldErrors e;
    CheckAddress(address, "a", e);
    EXPECT_EQ(e.empty(), c.ok) << c.country << " " << c.code << ": " << e.ToStatus();
  }
}

TEST(OrderValidationTest, LinesNeedPositiveQuantitySameCurrencyAndUniqueSkus) {
  v1::CreateOrderRequest request = SampleCreateOrder();
  request.mutable_lines(1)->set_sku(request.lines(0).sku());
  request.mutable_lines(0)->mutable_unit_price()->set_currency_code("USD");
  request.mutable_lines(1)->mutable_unit_price()->set_minor_units(-1);
  std::string problems = Problems(request);
  EXPECT_NE(problems.find("lines[1].sku: duplicates lines[0]"), std::string::npos) << problems;
  EXPECT_NE(problems.find("lines[0].unit_price: currency must be the order's (CNY)"),
            std::string::npos);
  EXPECT_NE(problems.find("lines[1].unit_price: must be >= 0"), std::string::npos);
  request.clear_lines();
  EXPECT_NE(Problems(request).find("lines: at least one line"), std::string::npos);
}

TEST(OrderValidationTest, LimitsOnSizes) {
  v1::CreateOrderRequest request = SampleCreateOrder();
  request.set_notes(std::string(kMaxNotesChars + 1, 'x'));
  request.mutable_customer()->set_name(std::string(kMaxNameChars + 1, 'y'));
  v1::OrderLine line = request.lines(0);
  request.clear_lines();
  for (int i = 0; i <= kMaxLines; ++i) {
    line.set_sku("SKU-" + std::to_string(i));
    *request.add_lines() = line;
  }
  std::string problems = Problems(request);
  EXPECT_NE(problems.find("notes: is longer than 2000"), std::string::npos) << problems;
  EXPECT_NE(problems.find("customer.name: is longer than 100"), std::string::npos);
  EXPECT_NE(problems.find("lines: at most 500 lines"), std::string::npos);
}

TEST(OrderValidationTest, ChannelCurrencyAndPaymentAreRequired) {
  v1::CreateOrderRequest request = SampleCreateOrder();
  request.clear_channel();
  request.set_currency_code("XXX");
  request.clear_payment_method();
  request.set_tax_rate_bp(20000);
  std::string problems = Problems(request);
  for (const char* field : {"channel:", "currency_code:", "payment_method:", "tax_rate_bp:"}) {
    EXPECT_NE(problems.find(field), std::string::npos) << field << ": " << problems;
  }
}

}  // namespace
}  // namespace oms::order
