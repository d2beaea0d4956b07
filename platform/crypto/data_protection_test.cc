#include "platform/crypto/data_protection.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "oms/events/v1/events.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/crypto/personal_fields.h"

namespace oms::crypto {
namespace {

const std::string kFirst = DataKeys::NewKeyLine("k1");
const std::string kSecond = DataKeys::NewKeyLine("k2");
const std::string kLookup = DataKeys::NewKeyLine("lookup");

void UseKeys(const std::string& text) {
  absl::StatusOr<DataKeys> keys = DataKeys::FromText(text);
  ASSERT_TRUE(keys.ok()) << keys.status();
  DataProtection::Use(std::make_shared<const DataKeys>(*keys));
}

order::v1::Order JanesOrder() {
  order::v1::Order order;
  order.set_order_id("ord_1");
  order.set_notes("call Jane on +8613800138000");
  order.mutable_customer()->set_name("Jane Doe");
  order.mutable_customer()->set_phone("+8613800138000");
  order.mutable_customer()->set_email("jane@example.com");
  order.mutable_customer()->mutable_shipping_address()->set_street("1 Jade Road");
  order.mutable_customer()->mutable_shipping_address()->set_city("Hangzhou");
  order.mutable_total()->set_minor_units(12345);
  return order;
}

class DataProtectionTest : public ::testing::Test {
 protected:
  void TearDown() override { DataProtection::Use(nullptr); }
};

TEST_F(DataProtectionTest, TheProtoMarksWhatIsPersonal) {
  const auto* customer = order::v1::Customer::descriptor();
  EXPECT_TRUE(IsPersonal(*customer->FindFieldByName("phone")));
  EXPECT_FALSE(IsPersonal(*customer->FindFieldByName("customer_id")));
  EXPECT_TRUE(HoldsPersonalData(*order::v1::Order::descriptor()));
  EXPECT_FALSE(HoldsPersonalData(*order::v1::OrderLine::descriptor()));
}

TEST_F(DataProtectionTest, SealsPersonalValuesOnlyAndOpensThemAgain) {
  UseKeys(absl::StrCat(kFirst, "\n", kLookup, "\n"));
  std::string bytes = SerializeSealed(JanesOrder());
  for (const char* clear : {"13800138000", "Jane", "jane@example.com", "Jade Road"}) {
    EXPECT_EQ(bytes.find(clear), std::string::npos) << clear;
  }
  EXPECT_NE(bytes.find("Hangzhou"), std::string::npos);  // the city is kept for reports
  EXPECT_NE(bytes.find("ord_1"), std::string::npos);
  order::v1::Order read;
  ASSERT_TRUE(ParseOpened(bytes, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), JanesOrder().SerializeAsString());
}

TEST_F(DataProtectionTest, SealsInsideAnEventPayload) {
  UseKeys(absl::StrCat(kFirst, "\n", kLookup, "\n"));
  events::v1::Event event;
  event.mutable_payload()->PackFrom(JanesOrder());
  std::string bytes = SerializeSealed(event);
  EXPECT_EQ(bytes.find("13800138000"), std::string::npos);
  events::v1::Event read;
  ASSERT_TRUE(ParseOpened(bytes, &read).ok());
  order::v1::Order payload;
  ASSERT_TRUE(read.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.customer().phone(), "+8613800138000");
}

TEST_F(DataProtectionTest, RotationSealsOldValuesAgainUnderTheNewKey) {
  UseKeys(absl::StrCat(kFirst, "\n", kLookup, "\n"));
  std::string under_first = SerializeSealed(JanesOrder());
  UseKeys(absl::StrCat(kSecond, "\n", kFirst, "\n", kLookup, "\n"));  // k2 active, k1 kept
  order::v1::Order order;
  ASSERT_TRUE(order.ParseFromString(under_first));
  EXPECT_EQ(DataKeys::KeyIdOf(order.customer().phone()), "k1");
  ASSERT_TRUE(*SealPersonalData(order));
  EXPECT_EQ(DataKeys::KeyIdOf(order.customer().phone()), "k2");
  EXPECT_FALSE(*SealPersonalData(order));               // nothing left under k1
  UseKeys(absl::StrCat(kSecond, "\n", kLookup, "\n"));  // k1 retired
  ASSERT_TRUE(OpenPersonalData(order).ok());
  EXPECT_EQ(order.customer().phone(), "+8613800138000");
  order::v1::Order stale;
  ASSERT_TRUE(stale.ParseFromString(under_first));
  EXPECT_EQ(OpenPersonalData(stale).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DataProtectionTest, WithoutKeysValuesStayClearAndSealedOnesAreRefused) {
  std::string clear = SerializeSealed(JanesOrder());
  EXPECT_NE(clear.find("13800138000"), std::string::npos);
  EXPECT_EQ(LookupKey("+8613800138000"), "+8613800138000");
  UseKeys(absl::StrCat(kFirst, "\n", kLookup, "\n"));
  std::string sealed = SerializeSealed(JanesOrder());
  std::string hashed = LookupKey("+8613800138000");
  EXPECT_EQ(hashed, LookupKey("+8613800138000"));
  EXPECT_EQ(hashed.find("13800138000"), std::string::npos);
  EXPECT_EQ(LookupKey(""), "");
  DataProtection::Use(nullptr);
  order::v1::Order read;
  EXPECT_EQ(ParseOpened(sealed, &read).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(DataProtectionTest, ErasureClearsEveryPersonalValueAndKeepsTheBusinessRecord) {
  order::v1::Order order = JanesOrder();
  EXPECT_EQ(ErasePersonalData(order), 5);
  EXPECT_EQ(order.customer().phone(), "");
  EXPECT_EQ(order.notes(), "");
  EXPECT_EQ(order.customer().shipping_address().city(), "Hangzhou");
  EXPECT_EQ(order.total().minor_units(), 12345);
  EXPECT_EQ(ErasePersonalData(order), 0);
}

TEST_F(DataProtectionTest, SealedTextColumnsOpenOnlyInTheirColumn) {
  UseKeys(absl::StrCat(kFirst, "\n", kLookup, "\n"));
  std::string sealed = SealText("Jane Doe", "contacts.name");
  EXPECT_EQ(*OpenText(sealed, "contacts.name"), "Jane Doe");
  EXPECT_FALSE(OpenText(sealed, "contacts.email").ok());
  EXPECT_EQ(*OpenText("clear", "contacts.name"), "clear");
  EXPECT_NE(Digest("request bytes"), "request bytes");
}

}  // namespace
}  // namespace oms::crypto
