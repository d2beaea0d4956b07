#include "notify_svc/template_engine.h"

#include "gtest/gtest.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/hmac.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms::notify {
namespace {

TEST(TemplateEngineTest, FlattensFieldsMoneyEnumsAndTimestamps) {
  order::v1::OrderCreated created;
  order::v1::Order* order = created.mutable_order();
  order->set_order_id("ord_1");
  order->set_status(order::v1::RECEIVED);
  order->mutable_customer()->set_name("张伟");
  order->mutable_total()->set_currency_code("CNY");
  order->mutable_total()->set_minor_units(33740);
  order->add_lines()->set_sku("TEA");
  order->mutable_created_at()->set_seconds(1767225600);
  Values values;
  FlattenMessage(created, "", values);
  EXPECT_EQ(values["order.order_id"], "ord_1");
  EXPECT_EQ(values["order.status"], "RECEIVED");
  EXPECT_EQ(values["order.customer.name"], "张伟");
  EXPECT_EQ(values["order.total"], "337.40 CNY");
  EXPECT_EQ(values["order.total.minor_units"], "33740");
  EXPECT_EQ(values["order.lines.count"], "1");
  EXPECT_EQ(values["order.created_at"], "2026-01-01T00:00:00Z");
}

TEST(TemplateEngineTest, RendersKnownPlaceholdersAndLeavesUnknownVisible) {
  Values values = {{"order.order_id", "ord_1"}, {"customer.name", "Li"}};
  EXPECT_EQ(Render("Hi {{ customer.name }}, order {{order.order_id}} {{nope}} {{unclosed", values),
            "Hi Li, order ord_1 {{nope}} {{unclosed");
  EXPECT_EQ(FindPlaceholders("a {{x}} b {{ y.z }} {{w"),
            (std::vector<std::string>{"x", "y.z", "w"}));
}

TEST(TemplateEngineTest, PlaceholdersComeFromTheEventType) {
  std::set<std::string> names = PlaceholdersFor("ShipmentDelayed");
  EXPECT_TRUE(names.count("shipment.tracking_number"));
  EXPECT_TRUE(names.count("shipment.promised_delivery"));
  EXPECT_TRUE(names.count("customer.name"));
  EXPECT_FALSE(names.count("order.total"));
  EXPECT_TRUE(PlaceholdersFor("OrderCreated").count("order.total"));
  EXPECT_EQ(EventPayloadType("NoSuchEvent"), nullptr);
  EXPECT_NE(EventPayloadType("LowStock"), nullptr);
}

TEST(HmacTest, MatchesTheRfc4231Vector) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace oms::notify
