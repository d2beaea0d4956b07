// The fact tables' writes on an in-memory store: each one lands, and doing it twice changes
// nothing (the feeds deliver at least once).
#include "analytics_svc/facts_store.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/events/feed_cursors.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::analytics::facts {
namespace {

class FactsStoreTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("analytics", Migrations()).ok());
    ASSERT_TRUE(db_->Migrate("feed", FeedCursorMigrations()).ok());  // Clear resets cursors
  }

  // Twice: the second time must change nothing.
  void Write(const std::function<absl::Status(Session&)>& write) {
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(db_->Transact(write).ok());
  }

  // The rows of `sql`, each as its columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                     OMS_ASSIGN_OR_RETURN(oms::Rows rows, s.Query(sql));
                     while (true) {
                       OMS_ASSIGN_OR_RETURN(bool more, rows.Next());
                       if (!more) return absl::OkStatus();
                       std::string row;
                       for (int c = 0; c < rows.columns(); ++c) {
                         absl::StrAppend(&row, c == 0 ? "" : "|", rows.Text(c));
                       }
                       out.push_back(row);
                     }
                   })
                    .ok());
    return out;
  }

  std::unique_ptr<Database> db_;
};

order::v1::Order SampleOrder() {
  order::v1::Order o;
  o.set_order_id("ord_1");
  o.set_channel(order::v1::WEB);
  o.set_currency_code("CNY");
  o.mutable_total()->set_minor_units(5000);
  o.mutable_customer()->set_phone("13800000000");
  o.set_status(order::v1::RECEIVED);
  *o.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(100));
  auto* line = o.add_lines();
  line->set_sku("TEA-1");
  line->set_quantity(2);
  line->mutable_unit_price()->set_minor_units(2500);
  return o;
}

TEST_P(FactsStoreTest, AnOrderItsLinesStatusesAndCancellation) {
  order::v1::Order o = SampleOrder();
  Write([&](Session& s) { return AddOrder(s, o); });
  EXPECT_EQ(Rows("SELECT order_id, channel, total_minor, status, cancelled FROM fact_orders"),
            (std::vector<std::string>{"ord_1|WEB|5000|RECEIVED|0"}));
  EXPECT_EQ(Rows("SELECT sku, quantity, unit_minor FROM fact_lines"),
            (std::vector<std::string>{"TEA-1|2|2500"}));
  o.mutable_lines(0)->set_quantity(3);
  o.mutable_total()->set_minor_units(7500);
  Write([&](Session& s) { return UpdateOrder(s, o); });
  EXPECT_EQ(Rows("SELECT sku, quantity FROM fact_lines"), (std::vector<std::string>{"TEA-1|3"}));
  Write([&](Session& s) { return SetOrderStatus(s, "ord_1", order::v1::SHIPPED, 300000000); });
  Write([&](Session& s) { return SetOrderStatus(s, "ord_1", order::v1::SHIPPED, 900000000); });
  // The first time it reached each status counts.
  EXPECT_EQ(Rows("SELECT stage, at_us FROM fact_stage_times ORDER BY at_us"),
            (std::vector<std::string>{"RECEIVED|100000000", "SHIPPED|300000000"}));
  Write([&](Session& s) { return MarkCancelled(s, "ord_1", "customer request"); });
  EXPECT_EQ(Rows("SELECT total_minor, status, cancelled, cancel_reason FROM fact_orders"),
            (std::vector<std::string>{"7500|SHIPPED|1|customer request"}));
}

TEST_P(FactsStoreTest, AShipmentsPickupKeepsTheFirstTimeAndEachOutcomeIsItsOwnFlag) {
  logistics::v1::Shipment sh;
  sh.set_shipment_id("shp_1");
  sh.set_order_id("ord_1");
  sh.set_carrier_id("SF");
  Write([&](Session& s) { return AddShipment(s, sh); });
  Write([&](Session& s) { return MarkPickedUp(s, "shp_1", 10); });
  Write([&](Session& s) { return MarkPickedUp(s, "shp_1", 20); });
  Write([&](Session& s) { return MarkDelayed(s, "shp_1", 1); });
  EXPECT_EQ(Rows("SELECT carrier_id, picked_up_us, delayed, lost, failed FROM fact_shipments"),
            (std::vector<std::string>{"SF|10|1|0|0"}));
  Write([&](Session& s) { return MarkLost(s, "shp_1"); });
  Write([&](Session& s) { return MarkDeliveryFailed(s, "shp_1"); });
  Write([&](Session& s) { return MarkDelivered(s, "shp_1", 99); });
  EXPECT_EQ(Rows("SELECT delivered_us, delayed, lost, failed FROM fact_shipments"),
            (std::vector<std::string>{"99|1|1|1"}));
}

TEST_P(FactsStoreTest, ATicketIsResolvedOnceAndEscalationSticks) {
  orchestrator::v1::ExceptionTicket t;
  t.set_ticket_id("tkt_1");
  t.set_order_id("ord_1");
  t.set_type(orchestrator::v1::STOCK_SHORTAGE);
  t.set_group("warehouse");
  t.set_status(orchestrator::v1::ExceptionTicket::OPEN);
  Write([&](Session& s) { return RecordTicket(s, t); });
  t.set_escalation_level(1);
  Write([&](Session& s) { return RecordTicket(s, t); });
  t.set_status(orchestrator::v1::ExceptionTicket::RESOLVED);
  t.set_resolution(orchestrator::v1::WAIT_FOR_STOCK);
  *t.mutable_updated_at() = ToProtoTime(absl::FromUnixSeconds(5));
  Write([&](Session& s) { return RecordTicket(s, t); });
  *t.mutable_updated_at() = ToProtoTime(absl::FromUnixSeconds(9));  // a later repeat
  Write([&](Session& s) { return RecordTicket(s, t); });
  EXPECT_EQ(Rows("SELECT type, grp, escalated, resolved_us, resolution FROM fact_exceptions"),
            (std::vector<std::string>{"STOCK_SHORTAGE|warehouse|1|5000000|WAIT_FOR_STOCK"}));
}

TEST_P(FactsStoreTest, BackordersAreServedLineByLineAndMovementsCountOncePerEvent) {
  inventory::v1::Backordered backordered;
  backordered.set_order_id("ord_1");
  auto* tea = backordered.add_lines();
  tea->set_sku("TEA-1");
  tea->set_quantity(5);
  auto* cup = backordered.add_lines();
  cup->set_sku("CUP-1");
  cup->set_quantity(2);
  Write([&](Session& s) { return AddBackorder(s, backordered, 1); });
  inventory::v1::BackorderAllocation allocation;
  allocation.set_order_id("ord_1");
  auto* waiting = allocation.add_still_waiting();
  waiting->set_sku("TEA-1");
  waiting->set_quantity(3);
  Write([&](Session& s) { return ServeBackorder(s, allocation, 7); });
  EXPECT_EQ(
      Rows("SELECT sku, quantity, COALESCE(CAST(served_us AS TEXT), 'waiting') FROM fact_backorders"
           " ORDER BY sku"),
      (std::vector<std::string>{"CUP-1|2|7", "TEA-1|3|waiting"}));
  Write([&](Session& s) { return AddMovement(s, "evt_1", "TEA-1", Movement::kReceived, 10, 1); });
  Write([&](Session& s) { return AddMovement(s, "evt_2", "TEA-1", Movement::kShipped, 4, 2); });
  EXPECT_EQ(Rows("SELECT kind, quantity FROM fact_movements ORDER BY at_us"),
            (std::vector<std::string>{"received|10", "shipped|4"}));
}

TEST_P(FactsStoreTest, ANotificationKeepsItsLatestOutcomeAndClearEmptiesEverything) {
  notify::v1::Message m;
  m.set_message_id("msg_1");
  m.set_channel(notify::v1::EMAIL);
  m.set_event_type("OrderCreated");
  m.set_attempts(3);
  Write([&](Session& s) { return RecordNotification(s, m, Outcome::kDead, 1); });
  Write([&](Session& s) { return RecordNotification(s, m, Outcome::kSent, 2); });
  EXPECT_EQ(Rows("SELECT channel, outcome, attempts, at_us FROM fact_notifications"),
            (std::vector<std::string>{"EMAIL|sent|3|2"}));
  Write([&](Session& s) { return SetCategory(s, "TEA-1", "tea"); });
  Write([&](Session& s) { return AddOrder(s, SampleOrder()); });
  Write(&Clear);
  EXPECT_TRUE(Rows("SELECT * FROM fact_orders").empty());
  EXPECT_TRUE(Rows("SELECT * FROM fact_products").empty());
  EXPECT_TRUE(Rows("SELECT * FROM fact_notifications").empty());
}

OMS_ON_EVERY_ENGINE(FactsStoreTest);

}  // namespace
}  // namespace oms::analytics::facts
