// Anomaly detection over seeded histories with planted anomalies: what is flagged, how it
// explains itself, tickets, dismissal and its feedback, and the detectors' precision.
#include <random>

#include "analytics_svc/anomaly_checks.h"
#include "analytics_svc/anomaly_detector.h"
#include "analytics_svc/anomaly_service.h"
#include "analytics_svc/anomaly_store.h"
#include "analytics_svc/dashboard.h"
#include "analytics_svc/fact_projector.h"
#include "analytics_svc/facts_store.h"
#include "gtest/gtest.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/in_memory_host.h"

namespace oms::analytics {
namespace {

// Day 8, 10:05 UTC: the last whole hour is 09:00-10:00, the window 09:05-10:05.
const absl::Time kNow =
    absl::FromUnixSeconds(1767225600) + absl::Hours(24 * 7 + 10) + absl::Minutes(5);
const absl::Time kHistoryStart = kNow - absl::Hours(24 * 7);

class FakeTickets : public AnomalyTickets {
 public:
  absl::StatusOr<std::string> Open(const v1::Anomaly& anomaly) override {
    opened.push_back(anomaly);
    return "exc_" + anomaly.anomaly_id();
  }
  absl::Status CloseAsFalseAlarm(const v1::Anomaly& anomaly) override {
    closed.push_back(anomaly);
    return absl::OkStatus();
  }
  std::vector<v1::Anomaly> opened, closed;
};

class AnomalyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(kNow);
    host_ = testing::InMemoryHost("analytics_svc", &clock_, {{"analytics", &facts::Migrations()}});
    DetectionOptions options;
    options.history = absl::Hours(24 * 8);
    service_ = std::make_unique<AnomalyService>(host_.get(), options, &tickets_, absl::Hours(6));
    detector_ = std::make_unique<AnomalyDetector>(host_.get(), options);
  }

  void Write(const std::function<absl::Status(Session&)>& fn) {
    ASSERT_TRUE(host_->db().Transact(fn).ok());
  }

  // One parcel with its outcome at `at`: found late, or delivered on time.
  absl::Status Parcel(Session& s, const std::string& carrier, int n, absl::Time at, bool late) {
    logistics::v1::Shipment sh;
    sh.set_shipment_id(absl::StrCat(carrier, "-", n));
    sh.set_order_id(absl::StrCat("ord-", carrier, "-", n));
    sh.set_carrier_id(carrier);
    *sh.mutable_created_at() = ToProtoTime(at - absl::Hours(30));
    *sh.mutable_promised_delivery() = ToProtoTime(at);
    OMS_RETURN_IF_ERROR(facts::AddShipment(s, sh));
    if (late) return facts::MarkDelayed(s, sh.shipment_id(), absl::ToUnixMicros(at));
    return facts::MarkDelivered(s, sh.shipment_id(), absl::ToUnixMicros(at));
  }

  // `per_hour` outcomes an hour over the history, every tenth late; then `window_outcomes`
  // in the last hour of which `window_late` late.
  void Carrier(const std::string& carrier, int per_hour, int window_outcomes, int window_late) {
    Write([&](Session& s) -> absl::Status {
      int n = 0;
      for (absl::Time hour = kHistoryStart; hour < kNow - absl::Hours(1); hour += absl::Hours(1)) {
        for (int i = 0; i < per_hour; ++i, ++n) {
          OMS_RETURN_IF_ERROR(Parcel(s, carrier, n, hour + absl::Seconds(i), n % 10 == 0));
        }
      }
      for (int i = 0; i < window_outcomes; ++i, ++n) {
        OMS_RETURN_IF_ERROR(
            Parcel(s, carrier, n, kNow - absl::Minutes(50) + absl::Seconds(i), i < window_late));
      }
      return absl::OkStatus();
    });
  }

  absl::Status Order(Session& s, const std::string& id, const std::string& customer,
                     order::v1::Channel channel, absl::Time at, int64_t quantity, int64_t total) {
    order::v1::Order o;
    o.set_order_id(id);
    o.set_channel(channel);
    o.set_currency_code("CNY");
    o.mutable_total()->set_minor_units(total);
    o.mutable_customer()->set_phone(customer);
    o.set_status(order::v1::RECEIVED);
    *o.mutable_created_at() = ToProtoTime(at);
    order::v1::OrderLine* line = o.add_lines();
    line->set_sku("TEA-1");
    line->set_quantity(quantity);
    return facts::AddOrder(s, o);
  }

  v1::ScoreOrderRequest Score(const std::string& order_id, const std::string& customer,
                              int64_t quantity, int64_t total) {
    v1::ScoreOrderRequest r;
    r.set_order_id(order_id);
    r.set_customer(customer);
    r.set_currency_code("CNY");
    r.set_total_minor(total);
    auto* line = r.add_lines();
    line->set_sku("TEA-1");
    line->set_quantity(quantity);
    return r;
  }

  std::vector<v1::Anomaly> Detect() {
    auto found = detector_->Detect();
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::vector<v1::Anomaly>{};
  }

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  FakeTickets tickets_;
  std::unique_ptr<AnomalyService> service_;
  std::unique_ptr<AnomalyDetector> detector_;
};

TEST_F(AnomalyTest, AnOrderHundredTimesTheCustomersUsualIsFlaggedWithItsFigures) {
  Write([&](Session& s) -> absl::Status {
    for (int i = 0; i < 5; ++i) {
      OMS_RETURN_IF_ERROR(Order(s, absl::StrCat("old-", i), "+8613800000001", order::v1::WEB,
                                kNow - absl::Hours(24 * (i + 1)), 1, 2500));
    }
    return absl::OkStatus();
  });
  auto usual = detector_->ScoreOrder(Score("ord-usual", "+8613800000001", 2, 5000));
  ASSERT_TRUE(usual.ok()) << usual.status();
  EXPECT_EQ(usual->anomalies_size(), 0) << usual->DebugString();

  auto big = detector_->ScoreOrder(Score("ord-big", "+8613800000001", 100, 250000));
  ASSERT_TRUE(big.ok()) << big.status();
  ASSERT_EQ(big->anomalies_size(), 2) << big->DebugString();  // units and amount
  const v1::Anomaly& units = big->anomalies(0);
  EXPECT_EQ(units.kind(), v1::ORDER);
  EXPECT_EQ(units.metric(), "order_quantity");
  EXPECT_EQ(units.subject(), "+8613800000001");
  EXPECT_EQ(units.order_id(), "ord-big");
  EXPECT_DOUBLE_EQ(units.baseline(), 1);
  EXPECT_DOUBLE_EQ(units.observed(), 100);
  EXPECT_EQ(units.samples(), 5);
  EXPECT_GE(units.score(), units.threshold());
  EXPECT_EQ(units.explanation(),
            "units ordered: 100 is 100.0x the customer's median of 1 (MAD 0, 5 before); robust z "
            "66.8 (needs 6.0)");

  // Scored again (a retried review step): the same detections, not new ones.
  auto again = detector_->ScoreOrder(Score("ord-big", "+8613800000001", 100, 250000));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->anomalies_size(), 2);
  EXPECT_EQ(again->anomalies(0).anomaly_id(), units.anomaly_id());

  // Too little history to judge: a new customer's first big order is not "unusual".
  auto stranger = detector_->ScoreOrder(Score("ord-new", "+8613800000002", 900, 2250000));
  ASSERT_TRUE(stranger.ok());
  EXPECT_EQ(stranger->anomalies_size(), 0);

  auto bad = detector_->ScoreOrder(v1::ScoreOrderRequest());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("order_id"), std::string::npos);
  EXPECT_NE(bad.status().message().find("lines"), std::string::npos);
}

TEST_F(AnomalyTest, ACarrierWhoseDelayRateTriplesInAnHourIsFlaggedAndTicketed) {
  Carrier("sf", 60, 60, 18);               // 10% late as a rule; 30% in the last hour
  Carrier("jd", 60, 60, 6);                // 10% as always
  ASSERT_TRUE(service_->RunRound().ok());  // refit, detect, open tickets

  v1::ListAnomaliesResponse listed = *detector_->List(v1::ListAnomaliesRequest());
  ASSERT_EQ(listed.anomalies_size(), 1) << listed.DebugString();
  const v1::Anomaly& a = listed.anomalies(0);
  EXPECT_EQ(a.kind(), v1::PROCESS);
  EXPECT_EQ(a.metric(), "delay_rate");
  EXPECT_EQ(a.dimension(), "carrier");
  EXPECT_EQ(a.subject(), "sf");
  EXPECT_EQ(a.test(), "binomial");
  EXPECT_NEAR(a.baseline(), 0.1, 1e-3);
  EXPECT_NEAR(a.observed(), 0.3, 1e-9);
  EXPECT_NEAR(a.score(), 4.84, 0.01);
  EXPECT_EQ(a.explanation(),
            "carrier sf: parcels found late on 18 of 60 (30.0%) between 09:05 and 10:05 UTC, "
            "against 10.0% usual over 10020; binomial p = 1.5e-05 (surprise 4.8, needs 4.0)");
  EXPECT_EQ(a.ticket_id(), "exc_" + a.anomaly_id());
  ASSERT_EQ(tickets_.opened.size(), 1u);

  // The dashboard counts it among the open anomalies.
  Reports reports(host_.get());
  Dashboard dashboard(&reports, &clock_, "127.0.0.1:0", "");
  EXPECT_NE(dashboard.Render().find("id=\"kpi-anomalies\">1<"), std::string::npos);

  // The next round finds it again but records (and tickets) it once.
  ASSERT_TRUE(service_->RunRound().ok());
  EXPECT_EQ(detector_->List(v1::ListAnomaliesRequest())->anomalies_size(), 1);
  EXPECT_EQ(tickets_.opened.size(), 1u);
}

TEST_F(AnomalyTest, ADismissedFalseAlarmIsRecordedAndWidensItsBaseline) {
  Carrier("sf", 60, 60, 18);
  ASSERT_TRUE(detector_->Refit().ok());
  std::vector<v1::Anomaly> found = Detect();
  ASSERT_EQ(found.size(), 1u);

  v1::DismissAnomalyRequest dismiss;
  dismiss.set_anomaly_id(found[0].anomaly_id());
  EXPECT_EQ(detector_->Dismiss(dismiss).status().code(), absl::StatusCode::kInvalidArgument);
  dismiss.set_reason("storm in the north, known and announced");
  dismiss.set_idempotency_key("dismiss-1");
  auto dismissed = detector_->Dismiss(dismiss);
  ASSERT_TRUE(dismissed.ok()) << dismissed.status();
  EXPECT_EQ(dismissed->state(), v1::Anomaly::DISMISSED);
  EXPECT_EQ(dismissed->dismissed_by(), "system");
  EXPECT_EQ(dismissed->dismiss_reason(), "storm in the north, known and announced");
  ASSERT_TRUE(detector_->Dismiss(dismiss).ok());  // a retry changes nothing
  v1::ListBaselinesRequest delay;
  delay.set_metric("delay_rate");
  EXPECT_EQ(detector_->ListBaselines(delay)->baselines(0).dismissals(), 1);

  // The same hour again: 4.8 no longer passes the widened bar (4 + 2 per false alarm).
  EXPECT_TRUE(Detect().empty());
  v1::DismissAnomalyRequest unknown;
  unknown.set_anomaly_id("anm_nope");
  unknown.set_reason("x");
  EXPECT_EQ(detector_->Dismiss(unknown).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AnomalyTest, DismissingThroughTheServiceResolvesTheTicket) {
  Carrier("sf", 60, 60, 18);
  ASSERT_TRUE(service_->RunRound().ok());
  v1::Anomaly a = detector_->List(v1::ListAnomaliesRequest())->anomalies(0);
  v1::DismissAnomalyRequest dismiss;
  dismiss.set_anomaly_id(a.anomaly_id());
  dismiss.set_reason("announced strike");
  v1::Anomaly answer;
  grpc::ServerContext context;
  ASSERT_TRUE(service_->DismissAnomaly(&context, &dismiss, &answer).ok());
  ASSERT_EQ(tickets_.closed.size(), 1u);
  EXPECT_EQ(tickets_.closed[0].ticket_id(), a.ticket_id());
  EXPECT_EQ(tickets_.closed[0].dismiss_reason(), "announced strike");
}

TEST_F(AnomalyTest, AChannelWhoseOrdersStopIsFlaggedAsASalesDrop) {
  Write([&](Session& s) -> absl::Status {
    int n = 0;
    for (absl::Time hour = kHistoryStart - absl::Minutes(5); hour < kNow - absl::Minutes(65);
         hour += absl::Hours(1)) {
      for (int i = 0; i < 20; ++i, ++n) {
        OMS_RETURN_IF_ERROR(
            Order(s, absl::StrCat("w", n), "c", order::v1::WEB, hour + absl::Minutes(i), 1, 100));
        OMS_RETURN_IF_ERROR(Order(s, absl::StrCat("a", n), "c", order::v1::MOBILE_APP,
                                  hour + absl::Minutes(i), 1, 100));
      }
    }
    for (int i = 0; i < 20; ++i) {  // 09:00-10:00: the app sells as usual, the web site not
      OMS_RETURN_IF_ERROR(Order(s, absl::StrCat("a-last-", i), "c", order::v1::MOBILE_APP,
                                kNow - absl::Minutes(65) + absl::Minutes(i), 1, 100));
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(detector_->Refit().ok());
  std::vector<v1::Anomaly> found = Detect();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind(), v1::SALES);
  EXPECT_EQ(found[0].metric(), "orders_per_hour");
  EXPECT_EQ(found[0].subject(), "WEB");
  EXPECT_EQ(found[0].explanation(),
            "channel WEB: 0 orders between 09:00 and 10:00 UTC where 20 are usual at this hour "
            "(median of 6 days): a drop; poisson p = 2.1e-09 (surprise 8.7, needs 4.0)");
  // Skus are watched the same way: TEA-1 is in 40 orders an hour (web and app); 20 in the
  // last hour is unusual, but not 10^-4 unlikely, so not flagged.
  v1::ListBaselinesRequest hourly;
  hourly.set_metric("orders_per_hour");
  bool tea_at_nine = false;
  v1::ListBaselinesResponse fitted = *detector_->ListBaselines(hourly);
  for (const v1::Baseline& b : fitted.baselines()) {
    if (b.dimension() == "sku" && b.subject() == "TEA-1" && b.hour_of_day() == 9) {
      EXPECT_DOUBLE_EQ(b.center(), 40);
      tea_at_nine = true;
    }
  }
  EXPECT_TRUE(tea_at_nine);
}

TEST_F(AnomalyTest, AWarehouseThatStopsHandingParcelsOverIsFlagged) {
  auto parcel = [&](Session& s, const std::string& warehouse, int n, absl::Time labelled,
                    absl::Duration handling) -> absl::Status {
    logistics::v1::Shipment sh;
    sh.set_shipment_id(absl::StrCat(warehouse, "-", n));
    sh.set_order_id(absl::StrCat("ord-", warehouse, "-", n));
    sh.set_carrier_id("sf");
    sh.set_warehouse_id(warehouse);
    *sh.mutable_created_at() = ToProtoTime(labelled);
    OMS_RETURN_IF_ERROR(facts::AddShipment(s, sh));
    return facts::MarkPickedUp(s, sh.shipment_id(), absl::ToUnixMicros(labelled + handling));
  };
  Write([&](Session& s) -> absl::Status {
    int n = 0;
    for (absl::Time hour = kHistoryStart; hour < kNow - absl::Hours(4); hour += absl::Hours(1)) {
      for (int i = 0; i < 3; ++i, ++n) {  // picked up 1.5 to 2.5 h after the label
        OMS_RETURN_IF_ERROR(parcel(s, "SH-01", n, hour, absl::Minutes(90 + 30 * i)));
        OMS_RETURN_IF_ERROR(parcel(s, "BJ-01", n, hour, absl::Minutes(90 + 30 * i)));
      }
    }
    for (int i = 0; i < 6; ++i, ++n) {  // today Shanghai's parcels waited 10 hours
      absl::Time picked = kNow - absl::Minutes(40) + absl::Minutes(i);
      OMS_RETURN_IF_ERROR(parcel(s, "SH-01", n, picked - absl::Hours(10), absl::Hours(10)));
      OMS_RETURN_IF_ERROR(parcel(s, "BJ-01", n, picked - absl::Hours(2), absl::Hours(2)));
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(detector_->Refit().ok());
  std::vector<v1::Anomaly> found = Detect();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].metric(), "handling_hours");
  EXPECT_EQ(found[0].dimension(), "warehouse");
  EXPECT_EQ(found[0].subject(), "SH-01");
  EXPECT_DOUBLE_EQ(found[0].baseline(), 2);
  EXPECT_DOUBLE_EQ(found[0].observed(), 10);
  EXPECT_EQ(found[0].explanation(),
            "warehouse SH-01: median label to pickup 10.0 h over 6 between 09:05 and 10:05 UTC, "
            "against a usual 2.0 h (MAD 0.5 h, 492 before); robust z 10.8 (needs 4.0)");
}

TEST_F(AnomalyTest, ApprovingAHeldOrderInReviewDismissesItsDetection) {
  Write([&](Session& s) -> absl::Status {
    for (int i = 0; i < 3; ++i) {
      OMS_RETURN_IF_ERROR(Order(s, absl::StrCat("old-", i), "+861", order::v1::WEB,
                                kNow - absl::Hours(i + 1), 1, 100));
    }
    return absl::OkStatus();
  });
  ASSERT_EQ(detector_->ScoreOrder(Score("ord-big", "+861", 100, 10000))->anomalies_size(), 2);
  orchestrator::v1::ReviewDecided decided;
  decided.mutable_decision()->set_order_id("ord-big");
  decided.mutable_decision()->set_outcome(orchestrator::v1::ReviewDecision::APPROVED);
  decided.mutable_decision()->set_reviewer("rev-anna");
  decided.mutable_decision()->set_note("wholesale customer now");
  events::v1::Event e;
  e.set_type("ReviewDecided");
  e.set_source("orchestrator_svc");
  *e.mutable_occurred_at() = ToProtoTime(kNow);
  e.mutable_payload()->PackFrom(decided);
  FactProjector projector;
  Write([&](Session& s) { return projector.Project(s, e); });
  v1::ListAnomaliesRequest open;
  open.set_state(v1::Anomaly::OPEN);
  EXPECT_EQ(detector_->List(open)->anomalies_size(), 0);
  v1::Anomaly a = detector_->List(v1::ListAnomaliesRequest())->anomalies(0);
  EXPECT_EQ(a.dismissed_by(), "rev-anna");
  EXPECT_EQ(a.dismiss_reason(), "order approved in review: wholesale customer now");
}

// Precision and recall of the detectors' decisions over seeded subjects: each subject's
// history is drawn from its own usual behaviour, then a window is drawn either from the same
// behaviour (normal) or with a planted anomaly. Figures are printed for docs/ANOMALIES.md.
TEST(AnomalyPrecisionTest, PlantedAnomaliesAreFoundAndNormalWindowsAreNot) {
  std::mt19937_64 random(20261201);
  AnomalyOptions options;
  int true_positive = 0, false_positive = 0, false_negative = 0, normal = 0, planted = 0;
  auto tally = [&](bool flagged, bool is_planted) {
    (is_planted ? planted : normal)++;
    if (flagged && is_planted) ++true_positive;
    if (flagged && !is_planted) ++false_positive;
    if (!flagged && is_planted) ++false_negative;
  };
  std::uniform_real_distribution<double> rate(0.05, 0.2);
  for (int subject = 0; subject < 3000; ++subject) {  // carriers: late parcels, 60 an hour
    bool is_planted = subject % 10 == 0;
    double usual = rate(random);
    v1::Baseline b;
    b.set_samples(10000);
    b.set_center(std::binomial_distribution<int64_t>(10000, usual)(random) / 10000.0);
    int64_t late = std::binomial_distribution<int64_t>(60, is_planted ? 3 * usual : usual)(random);
    tally(CheckRate(b, late, 60, 0, options).has_value(), is_planted);
  }
  std::uniform_real_distribution<double> per_hour(10, 60);
  for (int subject = 0; subject < 3000; ++subject) {  // channels: orders in an hour
    bool is_planted = subject % 10 == 0;
    double usual = per_hour(random);
    std::vector<double> days;
    for (int d = 0; d < 14; ++d) days.push_back(std::poisson_distribution<int64_t>(usual)(random));
    std::sort(days.begin(), days.end());
    v1::Baseline b;
    b.set_samples(14);
    b.set_center((days[6] + days[7]) / 2);
    // Planted: the channel stops (a silent outage) or triples (a promotion gone wrong).
    double now = is_planted ? (subject % 20 == 0 ? 0 : 3 * usual) : usual;
    int64_t observed = now == 0 ? 0 : std::poisson_distribution<int64_t>(now)(random);
    tally(CheckCount(b, observed, 0, options).has_value(), is_planted);
  }
  std::geometric_distribution<int> units(0.5);
  for (int subject = 0; subject < 3000; ++subject) {  // customers: units per order
    bool is_planted = subject % 10 == 0;
    std::vector<double> history;
    for (int o = 0; o < 8; ++o) history.push_back(1 + units(random));
    double next = is_planted ? 100 * (1 + units(random)) : 1 + units(random);
    tally(CheckSize(next, history, 0, options).has_value(), is_planted);
  }
  double precision = static_cast<double>(true_positive) / (true_positive + false_positive);
  double recall = static_cast<double>(true_positive) / (true_positive + false_negative);
  std::printf("anomaly precision %.4f recall %.4f (%d planted, %d normal, %d false alarms)\n",
              precision, recall, planted, normal, false_positive);
  EXPECT_GE(precision, 0.99);
  EXPECT_GE(recall, 0.6);
}

}  // namespace
}  // namespace oms::analytics
