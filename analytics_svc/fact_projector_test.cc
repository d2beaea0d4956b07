// What the projector makes of each kind of event (the facts themselves are
// facts_store_test's; the reports over them analytics_test's).
#include "analytics_svc/fact_projector.h"

#include "absl/strings/str_cat.h"
#include "analytics_svc/facts_store.h"
#include "gtest/gtest.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/store_test.h"

namespace oms::analytics {
namespace {

class FactProjectorTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("analytics", facts::Migrations()).ok());
  }

  // `event_id` "" numbers the events; a repeated id delivers the same event again.
  absl::Status Project(const google::protobuf::Message& payload, int64_t at_seconds = 1,
                       const std::string& event_id = "") {
    events::v1::Event event;
    event.set_event_id(event_id.empty() ? absl::StrCat("evt_", ++seq_) : event_id);
    event.set_type(payload.GetDescriptor()->name());
    *event.mutable_occurred_at() = ToProtoTime(absl::FromUnixSeconds(at_seconds));
    event.mutable_payload()->PackFrom(payload);
    return db_->Transact([&](Session& s) { return projector_.Project(s, event); });
  }

  std::string One(const std::string& sql) {
    std::string out = "(none)";
    EXPECT_TRUE(db_->Read([&](Session& s) -> absl::Status {
                     OMS_ASSIGN_OR_RETURN(Rows rows, s.Query(sql));
                     OMS_ASSIGN_OR_RETURN(bool any, rows.Next());
                     if (!any) return absl::OkStatus();
                     out.clear();
                     for (int c = 0; c < rows.columns(); ++c) {
                       absl::StrAppend(&out, c == 0 ? "" : "|", rows.Text(c));
                     }
                     return absl::OkStatus();
                   })
                    .ok());
    return out;
  }

  FactProjector projector_;
  std::unique_ptr<Database> db_;
  int seq_ = 0;
};

TEST_P(FactProjectorTest, AsksTheFeedsForExactlyWhatItProjects) {
  const std::vector<std::string>& types = projector_.types();
  for (const char* type :
       {"OrderCreated",        "OrderUpdated",       "OrderStatusChanged",    "OrderCancelled",
        "ReturnReceived",      "ShipmentCreated",    "ShipmentStatusChanged", "ShipmentDelivered",
        "ShipmentDelayed",     "ShipmentLost",       "ExceptionOpened",       "ExceptionAssigned",
        "ExceptionEscalated",  "ExceptionResolved",  "ProductChanged",        "LowStock",
        "Backordered",         "BackorderAllocated", "StockAdjusted",         "Committed",
        "MessageSent",         "MessageDead",        "PaymentRecorded",       "FeedbackSubmitted",
        "CompensationGranted", "ReviewDecided"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
  EXPECT_EQ(types.size(), 26u);
}

TEST_P(FactProjectorTest, AStatusChangeIsTimedByItsEvent) {
  order::v1::OrderCreated created;
  created.mutable_order()->set_order_id("ord_1");
  ASSERT_TRUE(Project(created).ok());
  order::v1::OrderStatusChanged shipped;
  shipped.set_order_id("ord_1");
  shipped.set_to_status(order::v1::SHIPPED);
  ASSERT_TRUE(Project(shipped, 60).ok());
  EXPECT_EQ(One("SELECT status FROM fact_orders"), "SHIPPED");
  EXPECT_EQ(One("SELECT at_us FROM fact_stage_times WHERE stage = 'SHIPPED'"), "60000000");
}

TEST_P(FactProjectorTest, DelayAndLossAreTwoFactsAndAPickupUsesTheCarriersTime) {
  logistics::v1::ShipmentCreated created;
  created.mutable_shipment()->set_shipment_id("shp_1");
  ASSERT_TRUE(Project(created).ok());
  logistics::v1::ShipmentStatusChanged picked;
  picked.set_shipment_id("shp_1");
  picked.set_to_state(logistics::v1::PICKED_UP);
  *picked.mutable_cause()->mutable_occurred_at() = ToProtoTime(absl::FromUnixSeconds(30));
  ASSERT_TRUE(Project(picked, 90).ok());
  logistics::v1::ShipmentDelayed delayed;
  delayed.mutable_shipment()->set_shipment_id("shp_1");
  ASSERT_TRUE(Project(delayed).ok());
  EXPECT_EQ(One("SELECT picked_up_us, delayed, lost FROM fact_shipments"), "30000000|1|0");
  logistics::v1::ShipmentLost lost;
  lost.mutable_shipment()->set_shipment_id("shp_1");
  ASSERT_TRUE(Project(lost).ok());
  EXPECT_EQ(One("SELECT delayed, lost FROM fact_shipments"), "1|1");
}

TEST_P(FactProjectorTest, EveryTicketEventRecordsTheTicketAsItNowIs) {
  orchestrator::v1::ExceptionOpened opened;
  opened.mutable_ticket()->set_ticket_id("tkt_1");
  opened.mutable_ticket()->set_type(orchestrator::v1::PACKAGE_LOST);
  ASSERT_TRUE(Project(opened).ok());
  orchestrator::v1::ExceptionEscalated escalated;
  *escalated.mutable_ticket() = opened.ticket();
  escalated.mutable_ticket()->set_escalation_level(1);
  ASSERT_TRUE(Project(escalated).ok());
  orchestrator::v1::ExceptionResolved resolved;
  *resolved.mutable_ticket() = escalated.ticket();
  resolved.mutable_ticket()->set_status(orchestrator::v1::ExceptionTicket::RESOLVED);
  resolved.mutable_ticket()->set_resolution(orchestrator::v1::RESHIP);
  ASSERT_TRUE(Project(resolved).ok());
  EXPECT_EQ(One("SELECT type, escalated, resolution FROM fact_exceptions"),
            "PACKAGE_LOST|1|RESHIP");
}

TEST_P(FactProjectorTest, OnlyReceiptsAndCommitsMoveStock) {
  inventory::v1::StockAdjusted counted;
  counted.mutable_adjustment()->set_sku("TEA-1");
  counted.mutable_adjustment()->set_delta(-2);
  counted.mutable_adjustment()->set_reason(inventory::v1::CYCLE_COUNT);
  ASSERT_TRUE(Project(counted).ok());
  EXPECT_EQ(One("SELECT COUNT(*) FROM fact_movements"), "0");
  inventory::v1::StockAdjusted received = counted;
  received.mutable_adjustment()->set_delta(10);
  received.mutable_adjustment()->set_reason(inventory::v1::RECEIPT);
  ASSERT_TRUE(Project(received).ok());
  inventory::v1::Committed committed;
  for (int64_t quantity : {1, 2}) {  // two reservations of one sku: one movement
    auto* r = committed.add_reservations();
    r->set_sku("TEA-1");
    r->set_quantity(quantity);
  }
  ASSERT_TRUE(Project(committed).ok());
  EXPECT_EQ(One("SELECT kind, quantity FROM fact_movements WHERE kind = 'received'"),
            "received|10");
  EXPECT_EQ(One("SELECT kind, quantity FROM fact_movements WHERE kind = 'shipped'"), "shipped|3");
  EXPECT_EQ(One("SELECT COUNT(*) FROM fact_movements"), "2");
}

TEST_P(FactProjectorTest, ARefundIsKeptOnItsOrderAndAPaymentIsNot) {
  order::v1::OrderCreated created;
  created.mutable_order()->set_order_id("ord_1");
  ASSERT_TRUE(Project(created).ok());
  order::v1::PaymentRecorded paid;
  paid.set_order_id("ord_1");
  paid.mutable_payment()->set_status(order::v1::Payment::PAID);
  paid.mutable_payment()->mutable_amount()->set_minor_units(5000);
  ASSERT_TRUE(Project(paid).ok());
  EXPECT_EQ(One("SELECT refunded_minor FROM fact_orders"), "0");
  paid.mutable_payment()->set_status(order::v1::Payment::REFUNDED);
  paid.mutable_payment()->mutable_amount()->set_minor_units(1200);
  ASSERT_TRUE(Project(paid).ok());
  EXPECT_EQ(One("SELECT refunded_minor FROM fact_orders"), "1200");
}

// A payment refunded in parts: the order's refunds are their sum, not the last one.
TEST_P(FactProjectorTest, RefundsInPartsAreSummed) {
  order::v1::OrderCreated created;
  created.mutable_order()->set_order_id("ord_1");
  ASSERT_TRUE(Project(created).ok());
  order::v1::PaymentRecorded refunded;
  refunded.set_order_id("ord_1");
  order::v1::Payment* payment = refunded.mutable_payment();
  payment->set_status(order::v1::Payment::PARTIALLY_REFUNDED);
  payment->mutable_amount()->set_minor_units(5000);
  payment->mutable_refunded()->set_minor_units(500);
  refunded.mutable_refund()->mutable_amount()->set_minor_units(500);
  ASSERT_TRUE(Project(refunded).ok());
  EXPECT_EQ(One("SELECT refunded_minor FROM fact_orders"), "500");
  payment->mutable_refunded()->set_minor_units(1700);
  refunded.mutable_refund()->mutable_amount()->set_minor_units(1200);
  ASSERT_TRUE(Project(refunded).ok());
  EXPECT_EQ(One("SELECT refunded_minor FROM fact_orders"), "1700");
}

// One tea fewer on a paid order: its total falls and the difference goes back. Revenue takes
// the lower total; counting the difference as refunded too would take it off twice.
TEST_P(FactProjectorTest, ALowerTotalsDifferenceIsNotCountedAsRefunded) {
  order::v1::OrderCreated created;
  created.mutable_order()->set_order_id("ord_1");
  ASSERT_TRUE(Project(created).ok());
  order::v1::PaymentRecorded settled;
  settled.set_order_id("ord_1");
  order::v1::Payment* payment = settled.mutable_payment();
  payment->set_status(order::v1::Payment::PARTIALLY_REFUNDED);
  payment->mutable_amount()->set_minor_units(5000);
  payment->mutable_refunded()->set_minor_units(1800);
  order::v1::Refund* difference = payment->add_refunds();
  difference->mutable_amount()->set_minor_units(1500);
  difference->set_price_change(true);
  payment->add_refunds()->mutable_amount()->set_minor_units(300);  // goodwill
  ASSERT_TRUE(Project(settled).ok());
  EXPECT_EQ(One("SELECT refunded_minor FROM fact_orders"), "300");
}

TEST_P(FactProjectorTest, OnHandChangesArePerWarehouseAndOncePerEvent) {
  inventory::v1::StockAdjusted received;
  received.mutable_adjustment()->set_sku("TEA-1");
  received.mutable_adjustment()->set_warehouse_id("SH-01");
  received.mutable_adjustment()->set_delta(10);
  received.mutable_adjustment()->set_reason(inventory::v1::RECEIPT);
  ASSERT_TRUE(Project(received, 1, "evt_a").ok());
  ASSERT_TRUE(Project(received, 1, "evt_a").ok());  // the same event again
  inventory::v1::Committed committed;
  for (const char* warehouse : {"SH-01", "SH-01", "BJ-01"}) {
    auto* r = committed.add_reservations();
    r->set_sku("TEA-1");
    r->set_warehouse_id(warehouse);
    r->set_quantity(2);
  }
  ASSERT_TRUE(Project(committed, 1, "evt_b").ok());
  EXPECT_EQ(One("SELECT SUM(delta) FROM fact_stock_changes WHERE warehouse_id = 'SH-01'"), "6");
  EXPECT_EQ(One("SELECT SUM(delta) FROM fact_stock_changes WHERE warehouse_id = 'BJ-01'"), "-2");
}

TEST_P(FactProjectorTest, AnEventItDoesNotProjectChangesNothing) {
  logistics::v1::ShipmentCancelled cancelled;
  cancelled.mutable_shipment()->set_order_id("ord_1");
  ASSERT_TRUE(Project(cancelled).ok());
  EXPECT_EQ(One("SELECT COUNT(*) FROM fact_orders"), "0");
  EXPECT_EQ(One("SELECT COUNT(*) FROM fact_shipments"), "0");
}

OMS_ON_EVERY_ENGINE(FactProjectorTest);

}  // namespace
}  // namespace oms::analytics
