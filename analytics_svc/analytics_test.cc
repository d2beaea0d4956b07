// Reports over a seeded event history, checked against figures computed by hand.
#include <optional>

#include "analytics_svc/analytics_service.h"
#include "analytics_svc/dashboard.h"
#include "analytics_svc/fact_projector.h"
#include "analytics_svc/facts_store.h"
#include "gtest/gtest.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/notify/v1/notify.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/in_memory_host.h"

namespace oms::analytics {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z

class AnalyticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = testing::InMemoryHost("analytics_svc", &clock_, {{"analytics", &facts::Migrations()}});
    reports_ = std::make_unique<Reports>(host_.get());
    clock_.Set(kT0 + absl::Hours(24 * 10));
    Seed();
    for (const auto& e : history_) Apply(e);
  }

  void Add(const std::string& source, const google::protobuf::Message& payload, absl::Time at) {
    events::v1::Event& e = history_.emplace_back();
    e.set_seq(static_cast<int64_t>(history_.size()));
    e.set_source(source);
    e.set_type(payload.GetDescriptor()->name());
    *e.mutable_occurred_at() = ToProtoTime(at);
    e.mutable_payload()->PackFrom(payload);
  }

  void Apply(const events::v1::Event& e) {
    ASSERT_TRUE(host_->db().Transact([&](Session& s) { return projector_.Project(s, e); }).ok());
  }

  void Order(const std::string& id, order::v1::Channel channel, const std::string& currency,
             int64_t total, absl::Time created,
             std::vector<std::tuple<std::string, int64_t, int64_t>> lines) {
    order::v1::OrderCreated created_event;
    order::v1::Order* o = created_event.mutable_order();
    o->set_order_id(id);
    o->set_channel(channel);
    o->set_currency_code(currency);
    o->mutable_total()->set_currency_code(currency);
    o->mutable_total()->set_minor_units(total);
    o->set_status(order::v1::RECEIVED);
    o->mutable_customer()->set_phone("+8613800138000");
    *o->mutable_created_at() = ToProtoTime(created);
    for (auto& [sku, quantity, unit] : lines) {
      order::v1::OrderLine* line = o->add_lines();
      line->set_sku(sku);
      line->set_quantity(quantity);
      line->mutable_unit_price()->set_currency_code(currency);
      line->mutable_unit_price()->set_minor_units(unit);
    }
    Add("order_svc", created_event, created);
  }

  void Status(const std::string& id, order::v1::OrderStatus to, absl::Time at) {
    order::v1::OrderStatusChanged changed;
    changed.set_order_id(id);
    changed.set_to_status(to);
    Add("order_svc", changed, at);
  }

  void Notification(const std::string& id, notify::v1::Channel channel, bool sent, int attempts,
                    absl::Time at) {
    notify::v1::Message m;
    m.set_message_id(id);
    m.set_channel(channel);
    m.set_attempts(attempts);
    *m.mutable_created_at() = ToProtoTime(kT0);
    if (sent) {
      notify::v1::MessageSent event;
      *event.mutable_message() = m;
      Add("notify_svc", event, at);
    } else {
      notify::v1::MessageDead event;
      *event.mutable_message() = m;
      Add("notify_svc", event, at);
    }
  }

  void Receipt(const std::string& sku, int64_t units, absl::Time at) {
    inventory::v1::StockAdjusted adjusted;
    adjusted.mutable_adjustment()->set_sku(sku);
    adjusted.mutable_adjustment()->set_delta(units);
    adjusted.mutable_adjustment()->set_reason(inventory::v1::RECEIPT);
    Add("inventory_svc", adjusted, at);
    history_.back().set_event_id("evt_" + std::to_string(history_.size()));
  }

  void LowStock(const std::string& sku, int64_t available, absl::Time at) {
    inventory::v1::LowStock low;
    low.set_sku(sku);
    low.set_available(available);
    low.set_safety_stock(5);
    Add("inventory_svc", low, at);
  }

  void Seed() {
    for (auto [sku, category] : {std::make_pair("TEA", "tea"), std::make_pair("CUP", "cups")}) {
      inventory::v1::ProductChanged product;
      product.mutable_product()->set_sku(sku);
      product.mutable_product()->set_category(category);
      Add("inventory_svc", product, kT0);
    }
    Receipt("TEA", 10, kT0);
    LowStock("CUP", 1, kT0 + absl::Hours(1));
    LowStock("TEA", 2, kT0 + absl::Hours(2));
    Receipt("CUP", 20, kT0 + absl::Hours(3));  // CUP recovered, TEA did not
    inventory::v1::Committed committed;
    committed.set_order_id("ord_1");
    for (int64_t q : {1, 1}) {
      inventory::v1::Reservation* r = committed.add_reservations();
      r->set_sku("TEA");
      r->set_quantity(q);
    }
    Add("inventory_svc", committed, kT0 + absl::Seconds(3700));
    inventory::v1::Backordered backordered;
    backordered.set_order_id("ord_3");
    inventory::v1::BackorderedLine* waiting = backordered.add_lines();
    waiting->set_sku("CUP");
    waiting->set_quantity(2);
    Add("inventory_svc", backordered, kT0 + absl::Hours(24));
    Notification("msg_1", notify::v1::EMAIL, /*sent=*/true, 1, kT0 + absl::Hours(1));
    Notification("msg_2", notify::v1::EMAIL, false, 5, kT0 + absl::Hours(2));
    Notification("msg_2", notify::v1::EMAIL, true, 6, kT0 + absl::Hours(5));  // retried by hand
    Notification("msg_3", notify::v1::SMS, false, 5, kT0 + absl::Hours(2));
    Notification("msg_4", notify::v1::IN_APP, true, 1, kT0 + absl::Hours(2));
    Order("ord_1", order::v1::WEB, "CNY", 10000, kT0, {{"TEA", 2, 4000}, {"CUP", 1, 2000}});
    Status("ord_1", order::v1::APPROVED, kT0 + absl::Seconds(60));
    Status("ord_1", order::v1::ALLOCATED, kT0 + absl::Seconds(120));
    Status("ord_1", order::v1::SHIPPED, kT0 + absl::Seconds(3600));
    Status("ord_1", order::v1::DELIVERED, kT0 + absl::Seconds(86400));
    Status("ord_1", order::v1::COMPLETED, kT0 + absl::Seconds(86460));
    Order("ord_2", order::v1::MOBILE_APP, "CNY", 5000, kT0 + absl::Seconds(600),
          {{"TEA", 1, 5000}});
    Status("ord_2", order::v1::APPROVED, kT0 + absl::Seconds(660));
    Status("ord_2", order::v1::ALLOCATED, kT0 + absl::Seconds(900));
    Status("ord_2", order::v1::CANCELLED, kT0 + absl::Seconds(1300));
    order::v1::OrderCancelled cancelled;
    cancelled.set_order_id("ord_2");
    cancelled.set_reason("顾客改变主意");
    Add("order_svc", cancelled, kT0 + absl::Seconds(1300));
    Order("ord_3", order::v1::WEB, "USD", 3000, kT0 + absl::Hours(24), {{"CUP", 3, 1000}});
    Status("ord_3", order::v1::APPROVED, kT0 + absl::Hours(24) + absl::Seconds(30));

    orchestrator::v1::ReturnReceived returned;
    returned.mutable_record()->set_order_id("ord_1");
    orchestrator::v1::ReturnLine* line = returned.mutable_record()->add_lines();
    line->set_sku("TEA");
    line->set_quantity(1);
    Add("orchestrator_svc", returned, kT0 + absl::Hours(48));

    logistics::v1::ShipmentCreated shipped;
    logistics::v1::Shipment* sh = shipped.mutable_shipment();
    sh->set_shipment_id("shp_1");
    sh->set_order_id("ord_1");
    sh->set_carrier_id("zto");
    sh->set_service_level(logistics::v1::STANDARD);
    *sh->mutable_created_at() = ToProtoTime(kT0 + absl::Seconds(3600));
    *sh->mutable_promised_delivery() = ToProtoTime(kT0 + absl::Hours(96));
    Add("logistics_svc", shipped, kT0 + absl::Seconds(3600));
    logistics::v1::ShipmentStatusChanged picked;
    picked.set_shipment_id("shp_1");
    picked.set_to_state(logistics::v1::PICKED_UP);
    *picked.mutable_cause()->mutable_occurred_at() = ToProtoTime(kT0 + absl::Seconds(3700));
    Add("logistics_svc", picked, kT0 + absl::Seconds(3700));
    logistics::v1::ShipmentDelivered delivered;
    *delivered.mutable_shipment() = *sh;
    *delivered.mutable_shipment()->mutable_delivery()->mutable_delivered_at() =
        ToProtoTime(kT0 + absl::Seconds(86400));
    Add("logistics_svc", delivered, kT0 + absl::Seconds(86400));
    logistics::v1::ShipmentCreated shipped2;
    logistics::v1::Shipment* sh2 = shipped2.mutable_shipment();
    sh2->set_shipment_id("shp_2");
    sh2->set_order_id("ord_3");
    sh2->set_carrier_id("sf");
    sh2->set_service_level(logistics::v1::EXPRESS);
    *sh2->mutable_created_at() = ToProtoTime(kT0 + absl::Hours(24) + absl::Seconds(100));
    *sh2->mutable_promised_delivery() = ToProtoTime(kT0 + absl::Hours(48));
    Add("logistics_svc", shipped2, kT0 + absl::Hours(24));
    logistics::v1::ShipmentDelayed delayed;
    *delayed.mutable_shipment() = *sh2;
    Add("logistics_svc", delayed, kT0 + absl::Hours(72));
    logistics::v1::ShipmentLost lost;
    *lost.mutable_shipment() = *sh2;
    Add("logistics_svc", lost, kT0 + absl::Hours(120));

    orchestrator::v1::ExceptionOpened opened;
    orchestrator::v1::ExceptionTicket* t = opened.mutable_ticket();
    t->set_ticket_id("exc_1");
    t->set_order_id("ord_2");
    t->set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
    t->set_group("cs");
    t->set_status(orchestrator::v1::ExceptionTicket::OPEN);
    *t->mutable_created_at() = ToProtoTime(kT0 + absl::Seconds(700));
    Add("orchestrator_svc", opened, kT0 + absl::Seconds(700));
    orchestrator::v1::ExceptionResolved resolved;
    *resolved.mutable_ticket() = *t;
    resolved.mutable_ticket()->set_status(orchestrator::v1::ExceptionTicket::RESOLVED);
    resolved.mutable_ticket()->set_resolution(orchestrator::v1::CANCEL_ORDER);
    *resolved.mutable_ticket()->mutable_updated_at() = ToProtoTime(kT0 + absl::Seconds(1300));
    Add("orchestrator_svc", resolved, kT0 + absl::Seconds(1300));
    orchestrator::v1::ExceptionEscalated escalated;
    orchestrator::v1::ExceptionTicket* t2 = escalated.mutable_ticket();
    t2->set_ticket_id("exc_2");
    t2->set_order_id("ord_3");
    t2->set_type(orchestrator::v1::PACKAGE_LOST);
    t2->set_group("ops");
    t2->set_status(orchestrator::v1::ExceptionTicket::OPEN);
    t2->set_escalation_level(1);
    *t2->mutable_created_at() = ToProtoTime(kT0 + absl::Seconds(90000));
    Add("orchestrator_svc", escalated, kT0 + absl::Hours(150));
  }

  std::string AllReports() {
    std::string out;
    for (int r = 1; r <= 8; ++r) {
      v1::ExportReportRequest request;
      request.set_report(static_cast<v1::ExportReportRequest::Report>(r));
      absl::StatusOr<std::vector<std::string>> rows = reports_->Csv(request);
      EXPECT_TRUE(rows.ok());
      for (const std::string& line : *rows) out += line;
    }
    return out;
  }

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<Reports> reports_;
  std::vector<events::v1::Event> history_;
  FactProjector projector_;
};

TEST_F(AnalyticsTest, OrderStatsByDayAndChannelWithCancellations) {
  v1::GetOrderStatsResponse stats = *reports_->OrderStats(v1::GetOrderStatsRequest());
  EXPECT_EQ(stats.orders(), 3);
  EXPECT_EQ(stats.cancelled(), 1);
  ASSERT_EQ(stats.cancellation_reasons_size(), 1);
  EXPECT_EQ(stats.cancellation_reasons(0).reason(), "顾客改变主意");
  ASSERT_EQ(stats.buckets_size(), 5);
  const v1::OrderBucket& day1 = stats.buckets(0);
  EXPECT_EQ(day1.period(), "2026-01-01");
  EXPECT_EQ(day1.channel(), "");
  EXPECT_EQ(day1.orders(), 2);
  ASSERT_EQ(day1.revenue_size(), 1);  // the cancelled order brings no revenue
  EXPECT_EQ(day1.revenue(0).minor_units(), 10000);
  EXPECT_EQ(day1.average_order_value(0).minor_units(), 10000);
  EXPECT_EQ(stats.buckets(1).channel(), "MOBILE_APP");
  EXPECT_EQ(stats.buckets(1).revenue_size(), 0);
  EXPECT_EQ(stats.buckets(3).period(), "2026-01-02");
  EXPECT_EQ(stats.buckets(3).revenue(0).currency_code(), "USD");
  v1::GetOrderStatsRequest monthly;
  monthly.set_granularity(v1::MONTH);
  EXPECT_EQ(reports_->OrderStats(monthly)->buckets(0).period(), "2026-01");
  EXPECT_EQ(reports_->OrderStats(monthly)->buckets(0).orders(), 3);
}

TEST_F(AnalyticsTest, StageDurationsArePercentilesOfStageTimes) {
  v1::GetStageDurationsResponse durations =
      *reports_->StageDurations(v1::GetStageDurationsRequest());
  ASSERT_EQ(durations.stages_size(), 5);
  const v1::StageDuration& review = durations.stages(0);
  EXPECT_EQ(review.stage(), "intake->review");
  EXPECT_EQ(review.orders(), 3);  // 60, 60, 30 seconds
  EXPECT_DOUBLE_EQ(review.p50_seconds(), 60);
  EXPECT_DOUBLE_EQ(review.max_seconds(), 60);
  EXPECT_EQ(review.slowest_orders(0), "ord_2");
  EXPECT_EQ(durations.stages(1).orders(), 2);  // 60 and 240
  EXPECT_DOUBLE_EQ(durations.stages(1).p90_seconds(), 240);
  EXPECT_DOUBLE_EQ(durations.stages(2).max_seconds(), 3480);
  EXPECT_DOUBLE_EQ(durations.stages(3).p50_seconds(), 82800);
  EXPECT_EQ(durations.stages(4).stage(), "end_to_end");
  EXPECT_DOUBLE_EQ(durations.stages(4).p99_seconds(), 86460);
}

TEST_F(AnalyticsTest, ExceptionStatsPerType) {
  v1::GetExceptionStatsResponse stats = *reports_->ExceptionStats(v1::GetExceptionStatsRequest());
  EXPECT_EQ(stats.orders(), 3);
  ASSERT_EQ(stats.types_size(), 2);
  const v1::ExceptionTypeStats& complaint = stats.types(0);
  EXPECT_EQ(complaint.type(), "CUSTOMER_COMPLAINT");
  EXPECT_DOUBLE_EQ(complaint.rate(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(complaint.mean_resolve_seconds(), 600);
  EXPECT_EQ(complaint.resolutions().at("CANCEL_ORDER"), 1);
  EXPECT_EQ(complaint.by_group().at("cs"), 1);
  EXPECT_EQ(stats.types(1).type(), "PACKAGE_LOST");
  EXPECT_EQ(stats.types(1).overdue(), 1);
}

TEST_F(AnalyticsTest, SalesAreNetOfReturnsAndCancellations) {
  v1::GetSalesReportResponse sales = *reports_->Sales(v1::GetSalesReportRequest());
  ASSERT_EQ(sales.skus_size(), 3);
  EXPECT_EQ(sales.skus(0).sku(), "TEA");
  EXPECT_EQ(sales.skus(0).category(), "tea");
  EXPECT_EQ(sales.skus(0).quantity(), 1);  // 2 sold, 1 returned; ord_2 was cancelled
  EXPECT_EQ(sales.skus(0).returned(), 1);
  EXPECT_EQ(sales.skus(0).revenue().minor_units(), 4000);
  EXPECT_EQ(sales.skus(1).revenue().currency_code(), "USD");
  EXPECT_EQ(sales.skus(1).revenue().minor_units(), 3000);
  v1::GetSalesReportRequest top1;
  top1.set_top(1);
  EXPECT_EQ(reports_->Sales(top1)->skus_size(), 1);
}

TEST_F(AnalyticsTest, CarrierPerformance) {
  v1::GetCarrierPerformanceResponse carriers =
      *reports_->CarrierPerformance(v1::GetCarrierPerformanceRequest());
  ASSERT_EQ(carriers.carriers_size(), 2);
  const v1::CarrierPerformance& sf = carriers.carriers(0);
  EXPECT_EQ(sf.carrier_id(), "sf");
  EXPECT_DOUBLE_EQ(sf.delayed_rate(), 1);
  EXPECT_DOUBLE_EQ(sf.lost_rate(), 1);
  const v1::CarrierPerformance& zto = carriers.carriers(1);
  EXPECT_DOUBLE_EQ(zto.on_time_rate(), 1);
  EXPECT_NEAR(zto.average_transit_hours(), (86400.0 - 3700) / 3600, 1e-9);
}

TEST_F(AnalyticsTest, InventoryHealthShowsLowStockBackordersAndSellThrough) {
  v1::GetInventoryHealthResponse health =
      *reports_->InventoryHealth(v1::GetInventoryHealthRequest());
  ASSERT_EQ(health.skus_size(), 2);
  const v1::SkuHealth& tea = health.skus(0);  // low stock sorts first
  EXPECT_EQ(tea.sku(), "TEA");
  EXPECT_TRUE(tea.low_stock());
  EXPECT_EQ(tea.available_at_alert(), 2);
  EXPECT_EQ(tea.shipped(), 2);
  EXPECT_EQ(tea.received(), 10);
  EXPECT_DOUBLE_EQ(tea.sell_through(), 0.2);
  const v1::SkuHealth& cup = health.skus(1);
  EXPECT_FALSE(cup.low_stock());  // received after its alert
  EXPECT_EQ(cup.backordered(), 2);
  EXPECT_DOUBLE_EQ(cup.oldest_backorder_hours(), 9 * 24);
  EXPECT_EQ(health.backordered_units(), 2);
  EXPECT_DOUBLE_EQ(health.average_backorder_age_hours(), 9 * 24);
  // Turnover: TEA held 10 for 3,700 s, then 8 until now (day 10); 2 shipped.
  ASSERT_EQ(health.turnover_size(), 2);
  const v1::StockTurnover& tea_turns = health.turnover(1);
  EXPECT_EQ(tea_turns.sku(), "TEA");
  EXPECT_EQ(tea_turns.on_hand(), 8);
  EXPECT_EQ(tea_turns.shipped(), 2);
  double span_s = 10 * 86400.0;
  EXPECT_NEAR(tea_turns.average_on_hand(), (10 * 3700.0 + 8 * (span_s - 3700)) / span_s, 1e-9);
  EXPECT_NEAR(tea_turns.days_of_cover(), 8 / (2 / 10.0), 1e-9);  // 0.2 a day
  EXPECT_TRUE(health.turnover(0).no_shipments());                // CUP: received, nothing shipped
  v1::ExportReportRequest csv;
  csv.set_report(v1::ExportReportRequest::STOCK_TURNOVER);
  std::vector<std::string> rows = *reports_->Csv(csv);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "sku,warehouse_id,on_hand,average_on_hand,shipped,turnover,days_of_cover\r\n");
}

TEST_F(AnalyticsTest, PromisesAreMeasuredAgainstTheLastParcelDelivered) {
  // p1 arrives a day early, p2 five hours late, p3 is not delivered and past its promise.
  struct Case {
    const char* id;
    absl::Duration promised;
    std::optional<absl::Duration> delivered;
    const char* carrier;
  };
  for (const Case& c : {Case{"ord_p1", absl::Hours(48), absl::Hours(24), "zto"},
                        Case{"ord_p2", absl::Hours(24), absl::Hours(29), "sf"},
                        Case{"ord_p3", absl::Hours(24), std::nullopt, "sf"}}) {
    order::v1::OrderCreated created;
    created.mutable_order()->set_order_id(c.id);
    created.mutable_order()->set_channel(order::v1::MOBILE_APP);
    *created.mutable_order()->mutable_created_at() = ToProtoTime(kT0);
    *created.mutable_order()->mutable_promised_delivery() = ToProtoTime(kT0 + c.promised);
    Add("order_svc", created, kT0);
    logistics::v1::ShipmentCreated shipped;
    shipped.mutable_shipment()->set_shipment_id(std::string("shp_") + c.id);
    shipped.mutable_shipment()->set_order_id(c.id);
    shipped.mutable_shipment()->set_carrier_id(c.carrier);
    Add("logistics_svc", shipped, kT0);
    if (c.delivered.has_value()) {
      logistics::v1::ShipmentDelivered delivered;
      *delivered.mutable_shipment() = shipped.shipment();
      *delivered.mutable_shipment()->mutable_delivery()->mutable_delivered_at() =
          ToProtoTime(kT0 + *c.delivered);
      Add("logistics_svc", delivered, kT0 + *c.delivered);
    }
  }
  for (size_t i = history_.size() - 8; i < history_.size(); ++i) Apply(history_[i]);
  v1::GetPromiseAccuracyResponse accuracy =
      *reports_->PromiseAccuracy(v1::GetPromiseAccuracyRequest());
  EXPECT_EQ(accuracy.promised(), 3);  // the seeded orders carry no promise
  EXPECT_EQ(accuracy.delivered(), 2);
  EXPECT_EQ(accuracy.on_time(), 1);
  EXPECT_DOUBLE_EQ(accuracy.on_time_rate(), 0.5);
  EXPECT_DOUBLE_EQ(accuracy.average_hours_late(), 5);
  EXPECT_EQ(accuracy.overdue(), 1);
  ASSERT_EQ(accuracy.by_carrier_size(), 2);
  EXPECT_EQ(accuracy.by_carrier(0).key(), "sf");
  EXPECT_EQ(accuracy.by_carrier(0).on_time(), 0);
  EXPECT_EQ(accuracy.by_carrier(1).key(), "zto");
  EXPECT_EQ(accuracy.by_carrier(1).on_time(), 1);
  ASSERT_EQ(accuracy.by_channel_size(), 1);
  EXPECT_EQ(accuracy.by_channel(0).key(), "MOBILE_APP");
  v1::ExportReportRequest csv;
  csv.set_report(v1::ExportReportRequest::PROMISE_ACCURACY);
  EXPECT_EQ(reports_->Csv(csv)->size(), 1u + 1 + 1 + 2);  // header, all, a channel, 2 carriers
}

TEST_F(AnalyticsTest, CsatPerChannelCarrierAndTicketAndCompensationPerExceptionType) {
  // ord_1 (WEB, zto) is rated 5 after delivery and 2 after its complaint was resolved; a
  // coupon of 30.00 was given on that complaint.
  orchestrator::v1::ExceptionOpened opened;
  opened.mutable_ticket()->set_ticket_id("tkt_9");
  opened.mutable_ticket()->set_order_id("ord_1");
  opened.mutable_ticket()->set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
  Add("orchestrator_svc", opened, kT0 + absl::Hours(30));
  orchestrator::v1::ExceptionResolved resolved;
  *resolved.mutable_ticket() = opened.ticket();
  resolved.mutable_ticket()->set_status(orchestrator::v1::ExceptionTicket::RESOLVED);
  resolved.mutable_ticket()->set_resolution(orchestrator::v1::CONTACT_CUSTOMER);
  Add("orchestrator_svc", resolved, kT0 + absl::Hours(31));
  for (auto [id, ticket, rating] :
       {std::make_tuple("fb_1", "", 5), std::make_tuple("fb_2", "tkt_9", 2)}) {
    orchestrator::v1::FeedbackSubmitted submitted;
    submitted.mutable_feedback()->set_feedback_id(id);
    submitted.mutable_feedback()->set_order_id("ord_1");
    submitted.mutable_feedback()->set_ticket_id(ticket);
    submitted.mutable_feedback()->set_rating(rating);
    Add("orchestrator_svc", submitted, kT0 + absl::Hours(32));
  }
  orchestrator::v1::CompensationGranted granted;
  granted.mutable_compensation()->set_compensation_id("cmp_1");
  granted.mutable_compensation()->set_ticket_id("tkt_9");
  granted.mutable_compensation()->set_kind(orchestrator::v1::COUPON);
  granted.mutable_compensation()->mutable_amount()->set_currency_code("CNY");
  granted.mutable_compensation()->mutable_amount()->set_minor_units(3000);
  Add("orchestrator_svc", granted, kT0 + absl::Hours(33));
  for (size_t i = history_.size() - 5; i < history_.size(); ++i) Apply(history_[i]);
  v1::GetSatisfactionResponse csat = *reports_->Satisfaction(v1::GetSatisfactionRequest());
  EXPECT_EQ(csat.overall().responses(), 2);
  EXPECT_DOUBLE_EQ(csat.overall().average_rating(), 3.5);
  EXPECT_DOUBLE_EQ(csat.overall().csat(), 0.5);
  ASSERT_EQ(csat.by_channel_size(), 1);
  EXPECT_EQ(csat.by_channel(0).key(), "WEB");
  ASSERT_EQ(csat.by_carrier_size(), 1);
  EXPECT_EQ(csat.by_carrier(0).key(), "zto");
  ASSERT_EQ(csat.by_ticket_type_size(), 1);
  EXPECT_EQ(csat.by_ticket_type(0).key(), "CUSTOMER_COMPLAINT");
  EXPECT_DOUBLE_EQ(csat.by_ticket_type(0).average_rating(), 2);
  EXPECT_EQ(csat.by_resolution(0).key(), "CONTACT_CUSTOMER");
  ASSERT_EQ(csat.compensation_size(), 1);
  EXPECT_EQ(csat.compensation(0).exception_type(), "CUSTOMER_COMPLAINT");
  EXPECT_EQ(csat.compensation(0).kind(), "COUPON");
  EXPECT_EQ(csat.compensation(0).total().minor_units(), 3000);
  // The same as CSV: one row per CSAT key, then the compensation cost rows.
  v1::ExportReportRequest csv;
  csv.set_report(v1::ExportReportRequest::SATISFACTION);
  std::vector<std::string> rows = *reports_->Csv(csv);
  ASSERT_EQ(rows.size(), 1u + 1 + 1 + 1 + 1 + 1 + 1);
  EXPECT_EQ(rows[0], "by,key,responses,average_rating,csat,kind,count,currency,total_minor\r\n");
  EXPECT_EQ(rows[1], "all,,2,3.500,0.500,,,,\r\n");
  EXPECT_EQ(rows[6], "compensation,CUSTOMER_COMPLAINT,,,,COUPON,1,CNY,3000\r\n");
}

TEST_F(AnalyticsTest, RejectedOrdersAreNoSaleAndRefundsAreNettedApart) {
  Order("ord_9", order::v1::WEB, "CNY", 7000, kT0 + absl::Hours(5), {{"TEA", 3, 2000}});
  Status("ord_9", order::v1::REJECTED, kT0 + absl::Hours(6));
  order::v1::PaymentRecorded refund;
  refund.set_order_id("ord_1");
  refund.mutable_payment()->set_status(order::v1::Payment::REFUNDED);
  refund.mutable_payment()->mutable_amount()->set_currency_code("CNY");
  refund.mutable_payment()->mutable_amount()->set_minor_units(1500);
  Add("order_svc", refund, kT0 + absl::Hours(7));
  for (size_t i = history_.size() - 3; i < history_.size(); ++i) Apply(history_[i]);
  v1::GetOrderStatsResponse stats = *reports_->OrderStats(v1::GetOrderStatsRequest());
  EXPECT_EQ(stats.rejected(), 1);
  const v1::OrderBucket& day1 = stats.buckets(0);
  EXPECT_EQ(day1.orders(), 3);                      // the rejected order was placed
  EXPECT_EQ(day1.revenue(0).minor_units(), 10000);  // but is no sale
  EXPECT_EQ(day1.refunded(0).minor_units(), 1500);  // ord_1's refund, in its own column
  EXPECT_EQ(day1.net_revenue(0).minor_units(), 8500);
  v1::GetSalesReportResponse sales = *reports_->Sales(v1::GetSalesReportRequest());
  EXPECT_EQ(sales.skus(0).quantity(), 1);  // ord_9's three TEA are not sales
}

TEST_F(AnalyticsTest, CustomerSegmentsByRecencyAndFrequency) {
  v1::GetCustomerSegmentsResponse segments =
      *reports_->CustomerSegments(v1::GetCustomerSegmentsRequest());
  ASSERT_EQ(segments.segments_size(), 6);
  for (const v1::Segment& s : segments.segments()) {
    // One customer: 2 live orders (the cancelled one does not count), last 9 days ago.
    EXPECT_EQ(s.customers(), s.name() == "promising" ? 1 : 0) << s.name();
    if (s.name() == "promising") {
      EXPECT_EQ(s.members(0), "+8613800138000");
    }
  }
}

TEST_F(AnalyticsTest, ReingestingIsHarmlessAndRebuildGivesTheSameFigures) {
  std::string before = AllReports();
  for (const auto& e : history_) Apply(e);  // every event delivered twice
  EXPECT_EQ(AllReports(), before);
  ASSERT_TRUE(host_->db().Transact(&facts::Clear).ok());
  EXPECT_NE(AllReports(), before);
  for (const auto& e : history_) Apply(e);  // rebuilt from the feeds
  EXPECT_EQ(AllReports(), before);
}

TEST_F(AnalyticsTest, CsvExportQuotesAndKeepsChineseText) {
  v1::ExportReportRequest request;
  request.set_report(v1::ExportReportRequest::ORDER_STATS);
  std::vector<std::string> rows = *reports_->Csv(request);
  EXPECT_EQ(rows[0],
            "period,channel,orders,currency,revenue_minor,aov_minor,refunded_minor,"
            "net_revenue_minor\r\n");
  EXPECT_EQ(rows[1], "2026-01-01,,2,CNY,10000,10000,0,10000\r\n");
  request.set_format("XLSX");
  EXPECT_EQ(reports_->Csv(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AnalyticsTest, NotificationStatsPerChannelWithTheLatestOutcome) {
  v1::GetNotificationStatsResponse stats = *reports_->NotificationStats({});
  ASSERT_EQ(stats.channels_size(), 3);
  const v1::ChannelNotifications& email = stats.channels(0);
  EXPECT_EQ(email.channel(), "EMAIL");
  EXPECT_EQ(email.sent(), 2);  // msg_2 died, then was retried and sent
  EXPECT_EQ(email.dead(), 0);
  EXPECT_DOUBLE_EQ(email.delivery_rate(), 1);
  EXPECT_DOUBLE_EQ(email.average_attempts(), 3.5);
  EXPECT_EQ(stats.channels(1).channel(), "IN_APP");
  EXPECT_EQ(stats.channels(2).channel(), "SMS");
  EXPECT_DOUBLE_EQ(stats.channels(2).delivery_rate(), 0);
  EXPECT_EQ(stats.sent(), 3);
  EXPECT_EQ(stats.dead(), 1);
}

TEST_F(AnalyticsTest, DashboardShowsTheReportFigures) {
  Dashboard dashboard(reports_.get(), &clock_, "127.0.0.1:0", "");
  std::string page = dashboard.Render();
  EXPECT_NE(page.find("id=\"kpi-orders\">3<"), std::string::npos);
  EXPECT_NE(page.find("id=\"kpi-cancelled\">1<"), std::string::npos);
  EXPECT_NE(page.find("id=\"kpi-backordered\">2<"), std::string::npos);
  EXPECT_NE(page.find("id=\"kpi-notifications-dead\">1 of 4<"), std::string::npos);
  EXPECT_NE(page.find("data-label=\"2026-01-01\" data-value=\"2\""), std::string::npos);
  EXPECT_NE(page.find("data-label=\"2026-01-02\" data-value=\"1\""), std::string::npos);
  // intake->review p50 is 60 s; shipment->delivery p50 is 82800 s (23 hours).
  EXPECT_NE(page.find("data-label=\"intake-&gt;review\" data-value=\"60.000\""), std::string::npos);
  EXPECT_NE(page.find("data-value=\"82800.000\""), std::string::npos);
  EXPECT_NE(page.find(">23.0 h</text>"), std::string::npos);
  EXPECT_NE(page.find("data-label=\"CUSTOMER_COMPLAINT\" data-value=\"1\""), std::string::npos);
  EXPECT_NE(page.find("<tr data-sku=\"TEA\">"), std::string::npos);
  // CUP recovered from its alert but still has 2 units backordered.
  EXPECT_NE(page.find("<td>CUP</td><td>ok</td><td class=\"num\">–</td><td class=\"num\">2</td>"),
            std::string::npos);
}

TEST(DashboardTest, EscapesTextAndDrawsOneBarPerValue) {
  EXPECT_EQ(HtmlEscape("<b>\"A&B\"</b>"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
  std::string svg = BarChart("c", {{"a<b", 2}, {"c", 4}}, 1, Fixed(1, "%"));
  EXPECT_NE(svg.find("data-label=\"a&lt;b\" data-value=\"2.0\""), std::string::npos);
  EXPECT_NE(svg.find("data-label=\"c\" data-value=\"4.0\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"130\" height"), std::string::npos);  // half of the 260 px track
  EXPECT_NE(svg.find(">4.0%</text>"), std::string::npos);
  EXPECT_EQ(BarChart("c", {}, 0, Fixed(0)), "<div class=\"empty\">No data yet.</div>");
  EXPECT_EQ(DurationText(0.25), "250 ms");
  EXPECT_EQ(DurationText(42), "42.0 s");
  EXPECT_EQ(DurationText(210), "3.5 min");
  EXPECT_EQ(DurationText(7560), "2.1 h");
  EXPECT_EQ(DurationText(129600), "36.0 h");
  EXPECT_EQ(DurationText(259200), "3.0 d");
}

}  // namespace
}  // namespace oms::analytics
