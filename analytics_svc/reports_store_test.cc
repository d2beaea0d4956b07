// The reports store's SELECTs over facts written with the facts store, on an in-memory
// database: what each returns and what its time span leaves out.
#include "analytics_svc/reports_store.h"

#include "analytics_svc/facts_store.h"
#include "gtest/gtest.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::analytics::reports_store {
namespace {

constexpr int64_t kSecond = 1000000;

class ReportsStoreTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("analytics", facts::Migrations()).ok());
  }

  void Write(const std::function<absl::Status(Session&)>& write) {
    ASSERT_TRUE(db_->Transact(write).ok());
  }

  template <typename T>
  T Read(const std::function<absl::StatusOr<T>(Session&)>& read) {
    T out{};
    EXPECT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                     OMS_ASSIGN_OR_RETURN(out, read(s));
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }

  void AddOrder(const std::string& id, const std::string& customer, int64_t created_s,
                int64_t total, const std::string& sku, int64_t quantity) {
    order::v1::Order o;
    o.set_order_id(id);
    o.set_channel(order::v1::WEB);
    o.set_currency_code("CNY");
    o.mutable_total()->set_minor_units(total);
    o.mutable_customer()->set_phone(customer);
    *o.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(created_s));
    auto* line = o.add_lines();
    line->set_sku(sku);
    line->set_quantity(quantity);
    line->mutable_unit_price()->set_minor_units(total / quantity);
    Write([&](Session& s) { return facts::AddOrder(s, o); });
  }

  std::unique_ptr<Database> db_;
};

TEST_P(ReportsStoreTest, OrdersAndTimesAreThoseCreatedInTheSpan) {
  AddOrder("ord_1", "c1", 10, 1000, "TEA-1", 1);
  AddOrder("ord_2", "c2", 20, 2000, "TEA-1", 2);
  Write([](Session& s) { return facts::MarkCancelled(s, "ord_2", "changed mind"); });
  Write([](Session& s) {
    return facts::SetOrderStatus(s, "ord_1", order::v1::APPROVED, 15 * kSecond);
  });
  TimeSpan first{0, 15 * kSecond};
  auto orders = Read<std::vector<OrderRow>>([&](Session& s) { return OrdersCreated(s, first); });
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].total_minor, 1000);
  EXPECT_FALSE(orders[0].cancelled);
  TimeSpan all{0, 100 * kSecond};
  EXPECT_EQ(Read<int64_t>([&](Session& s) { return CountOrdersCreated(s, all); }), 2);
  auto times = Read<std::vector<Elapsed>>(
      [&](Session& s) { return TimesBetween(s, "RECEIVED", "APPROVED", all); });
  ASSERT_EQ(times.size(), 1u);
  EXPECT_EQ(times[0].order_id, "ord_1");
  EXPECT_EQ(times[0].us, 5 * kSecond);
  // Sales leave the cancelled order out; customers too.
  auto sales = Read<std::vector<SkuSalesRow>>([&](Session& s) { return SalesBySku(s, all); });
  ASSERT_EQ(sales.size(), 1u);
  EXPECT_EQ(sales[0].quantity, 1);
  EXPECT_EQ(sales[0].revenue_minor, 1000);
  auto customers = Read<std::vector<CustomerRow>>(CustomersByValue);
  ASSERT_EQ(customers.size(), 1u);
  EXPECT_EQ(customers[0].customer, "c1");
}

TEST_P(ReportsStoreTest, AnOpenTicketHasNoResolvedTime) {
  orchestrator::v1::ExceptionTicket t;
  t.set_ticket_id("tkt_1");
  t.set_type(orchestrator::v1::PACKAGE_LOST);
  t.set_status(orchestrator::v1::ExceptionTicket::OPEN);
  *t.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(1));
  Write([&](Session& s) { return facts::RecordTicket(s, t); });
  auto tickets = Read<std::vector<TicketRow>>([](Session& s) {
    return TicketsOpened(s, TimeSpan{0, 10 * kSecond});
  });
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].type, "PACKAGE_LOST");
  EXPECT_FALSE(tickets[0].resolved_us.has_value());
}

TEST_P(ReportsStoreTest, CarrierTotalsCountOnTimeDeliveriesAndTransitFromPickup) {
  logistics::v1::Shipment sh;
  sh.set_shipment_id("shp_1");
  sh.set_carrier_id("SF");
  *sh.mutable_created_at() = ToProtoTime(absl::FromUnixSeconds(1));
  *sh.mutable_promised_delivery() = ToProtoTime(absl::FromUnixSeconds(100));
  Write([&](Session& s) { return facts::AddShipment(s, sh); });
  Write([](Session& s) { return facts::MarkPickedUp(s, "shp_1", 10 * kSecond); });
  Write([](Session& s) { return facts::MarkDelivered(s, "shp_1", 50 * kSecond); });
  auto carriers = Read<std::vector<CarrierRow>>([](Session& s) {
    return CarrierTotals(s, TimeSpan{0, 10 * kSecond});
  });
  ASSERT_EQ(carriers.size(), 1u);
  EXPECT_EQ(carriers[0].delivered, 1);
  EXPECT_EQ(carriers[0].on_time, 1);
  EXPECT_EQ(carriers[0].transit_us, 40 * kSecond);
}

TEST_P(ReportsStoreTest, StockRowsForHealth) {
  inventory::v1::Backordered backordered;
  backordered.set_order_id("ord_1");
  auto* line = backordered.add_lines();
  line->set_sku("TEA-1");
  line->set_quantity(4);
  Write([&](Session& s) { return facts::AddBackorder(s, backordered, 3 * kSecond); });
  Write([](Session& s) {
    return facts::AddMovement(s, "evt_1", "TEA-1", facts::Movement::kReceived, 9, 5 * kSecond);
  });
  auto waiting = Read<std::vector<WaitingRow>>(WaitingBackorders);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].units, 4);
  EXPECT_EQ(waiting[0].oldest_us, 3 * kSecond);
  auto last = Read<std::map<std::string, int64_t>>(LastReceipts);
  EXPECT_EQ(last["TEA-1"], 5 * kSecond);
  auto moves = Read<std::vector<MovementRow>>([](Session& s) {
    return Movements(s, TimeSpan{0, 4 * kSecond});
  });
  EXPECT_TRUE(moves.empty());  // the receipt is after the span
}

TEST_P(ReportsStoreTest, NotificationOutcomesPerChannel) {
  notify::v1::Message m;
  m.set_message_id("msg_1");
  m.set_channel(notify::v1::SMS);
  m.set_attempts(2);
  Write([&](Session& s) { return facts::RecordNotification(s, m, facts::Outcome::kSent, 1); });
  m.set_message_id("msg_2");
  Write([&](Session& s) { return facts::RecordNotification(s, m, facts::Outcome::kDead, 1); });
  auto outcomes = Read<std::vector<ChannelOutcomes>>([](Session& s) {
    return NotificationOutcomes(s, TimeSpan{0, kSecond});
  });
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].channel, "SMS");
  EXPECT_EQ(outcomes[0].sent, 1);
  EXPECT_EQ(outcomes[0].dead, 1);
  EXPECT_EQ(outcomes[0].sent_attempts, 2);
}

OMS_ON_EVERY_ENGINE(ReportsStoreTest);

}  // namespace
}  // namespace oms::analytics::reports_store
