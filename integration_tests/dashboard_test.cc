// The whole suite with seeded data, then analytics_svc's dashboard loaded in headless Chromium:
// the rendered charts show the figures the report RPCs give. Also: RebuildFacts over the real
// feeds gives the same figures as incremental ingestion.
#include <cstdio>
#include <fstream>
#include <optional>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

constexpr int kOrders = 6;

// Runs a command and answers its standard output.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// data-value of the bar labelled `label` in chart `chart_id`, or "" if there is none.
std::string BarValue(const std::string& dom, const std::string& chart_id,
                     const std::string& label) {
  size_t chart = dom.find(absl::StrCat("<svg id=\"", chart_id, "\""));
  if (chart == std::string::npos) return "";
  size_t end = dom.find("</svg>", chart);
  std::string svg = dom.substr(chart, end - chart);
  std::smatch match;
  std::regex bar(absl::StrCat("data-label=\"", label, "\" data-value=\"([^\"]*)\""));
  return std::regex_search(svg, match, bar) ? match[1].str() : "";
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    // 103 cups against a safety stock of 100: the fourth order takes the sku below it.
    ASSERT_TRUE(
        SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 1000}, {"CUP-CELADON", 103, 100}}).ok());
  }

  // Places the orders, waits until every one has shipped, and confirms each delivery.
  void RunOrdersToDelivery() {
    auto orchestrator =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    for (int i = 0; i < kOrders; ++i) {
      orchestrator::v1::PlaceOrderRequest request;
      request.set_idempotency_key(absl::StrCat("dash-", i));
      *request.mutable_order() = order::SampleCreateOrder(absl::StrCat("DASH-", i));
      grpc::ClientContext context;
      orchestrator::v1::PlaceOrderResponse response;
      ASSERT_TRUE(orchestrator->PlaceOrder(&context, request, &response).ok());
      order_ids_.push_back(response.order_id());
    }
    auto logistics = logistics::v1::LogisticsService::NewStub(suite_.logistics().NewChannel());
    std::vector<std::string> shipments;
    absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (shipments.size() < kOrders && absl::Now() < give_up) {
      shipments.clear();
      grpc::ClientContext context;
      logistics::v1::ListShipmentsRequest list;
      logistics::v1::ListShipmentsResponse listed;
      if (logistics->ListShipments(&context, list, &listed).ok()) {
        for (const auto& s : listed.shipments()) shipments.push_back(s.shipment_id());
      }
      if (shipments.size() < kOrders) absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_EQ(shipments.size(), kOrders);
    for (const std::string& id : shipments) {
      grpc::ClientContext context;
      logistics::v1::ConfirmDeliveryRequest confirm;
      confirm.set_idempotency_key("deliver-" + id);
      confirm.set_shipment_id(id);
      confirm.set_recipient_name("张伟");
      logistics::v1::Shipment delivered;
      ASSERT_TRUE(logistics->ConfirmDelivery(&context, confirm, &delivered).ok()) << id;
    }
  }

  // Polls (bounded) until analytics has caught up on every feed involved: each feed is consumed
  // on its own, so deliveries (logistics), commits (inventory) and the orders' DELIVERED status
  // (order_svc, after the orchestrator) arrive in any order.
  analytics::v1::GetCarrierPerformanceResponse WaitForIngestion() {
    auto analytics = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel());
    analytics::v1::GetCarrierPerformanceResponse carriers;
    absl::Time give_up = absl::Now() + absl::Seconds(60);
    while (absl::Now() < give_up) {
      grpc::ClientContext c, h, s;
      carriers.Clear();
      analytics::v1::GetInventoryHealthResponse health;
      analytics::v1::GetStageDurationsResponse stages;
      if (analytics->GetCarrierPerformance(&c, {}, &carriers).ok() &&
          analytics->GetInventoryHealth(&h, {}, &health).ok() &&
          analytics->GetStageDurations(&s, {}, &stages).ok()) {
        int64_t delivered = 0, cups_shipped = 0, orders_delivered = 0, orders_completed = 0;
        for (const auto& carrier : carriers.carriers()) delivered += carrier.delivered();
        for (const auto& sku : health.skus()) {
          if (sku.sku() == "CUP-CELADON") cups_shipped = sku.shipped();
        }
        for (const auto& stage : stages.stages()) {
          if (stage.stage() == "shipment->delivery") orders_delivered = stage.orders();
          // COMPLETED comes from order_svc's feed after logistics' delivery: wait for both.
          if (stage.stage() == "end_to_end") orders_completed = stage.orders();
        }
        if (delivered == kOrders && cups_shipped == kOrders && orders_delivered == kOrders &&
            orders_completed == kOrders) {
          return carriers;
        }
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    ADD_FAILURE() << "analytics did not catch up within 60 s";
    return carriers;
  }

  std::string AllReports() {
    auto analytics = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel());
    std::string all;
    grpc::ClientContext a, b, c, d;
    analytics::v1::GetOrderStatsResponse stats;
    analytics::v1::GetStageDurationsResponse stages;
    analytics::v1::GetSalesReportResponse sales;
    analytics::v1::GetInventoryHealthResponse health;
    EXPECT_TRUE(analytics->GetOrderStats(&a, {}, &stats).ok());
    EXPECT_TRUE(analytics->GetStageDurations(&b, {}, &stages).ok());
    EXPECT_TRUE(analytics->GetSalesReport(&c, {}, &sales).ok());
    // Turnover is time-weighted up to the range's end: the same end every time.
    if (!reports_until_.has_value()) reports_until_ = absl::Now();
    analytics::v1::GetInventoryHealthRequest until;
    *until.mutable_range()->mutable_to() = ToProtoTime(*reports_until_);
    EXPECT_TRUE(analytics->GetInventoryHealth(&d, until, &health).ok());
    for (const google::protobuf::Message* m :
         std::initializer_list<const google::protobuf::Message*>{&stats, &stages, &sales,
                                                                 &health}) {
      all += m->SerializeAsString();
    }
    return all;
  }

  std::optional<absl::Time> reports_until_;

  int DashboardPort() {
    int port = 0;
    std::ifstream(dir_.path() + "/dashboard.port") >> port;
    EXPECT_GT(port, 0);
    return port;
  }

  // The page as a browser gets it: through a one-time login link made with ops's key (the
  // link sets the session cookie and sends the browser on to the page).
  std::string Chromium(const std::string& flags) {
    int port = DashboardPort();
    httplib::Client client("127.0.0.1", port);
    httplib::Headers bearer = {{"Authorization", "Bearer " + TestToken("ops")}};
    httplib::Result link = client.Post("/login/link", bearer, "", "text/plain");
    EXPECT_TRUE(link && link->status == 200);
    std::string path = link ? std::string(absl::StripTrailingAsciiWhitespace(link->body)) : "/";
    return Capture(absl::StrFormat(
        "chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "
        "--disable-background-networking --no-first-run --user-data-dir=%s/chromium %s "
        "http://127.0.0.1:%d%s 2>/dev/null",
        dir_.path(), flags, port, path));
  }

  testing::TempDir dir_;
  static SuiteFlags Flags(const std::string& dir) {
    SuiteFlags flags;
    flags.analytics = {"--dashboard_port_file=" + dir + "/dashboard.port"};
    return flags;
  }
  Suite suite_{dir_.path(), Flags(dir_.path())};
  std::vector<std::string> order_ids_;
};

TEST_F(DashboardTest, ChromiumRendersTheChartsWithTheReportFigures) {
  RunOrdersToDelivery();
  if (HasFatalFailure()) return;
  analytics::v1::GetCarrierPerformanceResponse carriers = WaitForIngestion();
  ASSERT_GT(carriers.carriers_size(), 0);
  // A complaint, so that the exceptions chart has a bar.
  auto orchestrator =
      orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
  grpc::ClientContext open;
  orchestrator::v1::OpenExceptionRequest complaint;
  complaint.set_idempotency_key("complaint-1");
  complaint.set_order_id(order_ids_[0]);
  complaint.set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
  complaint.set_description("茶叶包装破损");
  complaint.set_actor("cs.li");
  orchestrator::v1::ExceptionTicket ticket;
  ASSERT_TRUE(orchestrator->OpenException(&open, complaint, &ticket).ok());

  auto analytics = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel());
  analytics::v1::GetExceptionStatsResponse exceptions;
  for (absl::Time give_up = absl::Now() + absl::Seconds(30); absl::Now() < give_up;) {
    grpc::ClientContext context;
    exceptions.Clear();
    if (analytics->GetExceptionStats(&context, {}, &exceptions).ok() && exceptions.types_size() > 0)
      break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_EQ(exceptions.types_size(), 1);
  grpc::ClientContext s, o;
  analytics::v1::GetStageDurationsResponse stages;
  ASSERT_TRUE(analytics->GetStageDurations(&s, {}, &stages).ok());
  analytics::v1::GetOrderStatsResponse stats;
  ASSERT_TRUE(analytics->GetOrderStats(&o, {}, &stats).ok());
  ASSERT_EQ(stats.orders(), kOrders);

  std::string dom = Chromium("--dump-dom");
  ASSERT_NE(dom.find("<h1>OMS operations</h1>"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_NE(dom.find(absl::StrCat("id=\"kpi-orders\">", kOrders, "<")), std::string::npos);
  EXPECT_NE(dom.find("id=\"kpi-exceptions\">1<"), std::string::npos);
  EXPECT_EQ(BarValue(dom, "orders-per-day", stats.buckets(0).period()), absl::StrCat(kOrders));
  EXPECT_EQ(BarValue(dom, "exceptions-by-type", "CUSTOMER_COMPLAINT"), "1");
  for (const auto& stage : stages.stages()) {
    if (stage.orders() == 0) continue;
    EXPECT_EQ(
        BarValue(dom, "stage-p50", std::regex_replace(stage.stage(), std::regex(">"), "&gt;")),
        absl::StrFormat("%.3f", stage.p50_seconds()))
        << stage.stage();
  }
  for (const auto& c : carriers.carriers()) {
    EXPECT_EQ(
        BarValue(dom, "carrier-on-time", absl::StrCat(c.carrier_id(), " ", c.service_level())),
        absl::StrFormat("%.1f", c.on_time_rate() * 100));
    EXPECT_DOUBLE_EQ(c.on_time_rate(), 1.0);  // delivered at once, well before the promise
  }
  EXPECT_NE(dom.find("<tr data-sku=\"CUP-CELADON\">"), std::string::npos);
  EXPECT_EQ(dom.find("<tr data-sku=\"TEA-LONGJING-250G\">"), std::string::npos);

  // A screenshot for people (kept by Bazel under the test's outputs).
  if (const char* outputs = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
    Chromium(absl::StrCat("--hide-scrollbars --window-size=1280,980 --screenshot=", outputs,
                          "/dashboard.png"));
  }
}

// The page is behind a login on the API keys, role-checked like the reports RPCs.
TEST_F(DashboardTest, ThePageNeedsALoginWithAKeyThatMayReadTheReports) {
  httplib::Client client("127.0.0.1", DashboardPort());
  httplib::Result anonymous = client.Get("/");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 303);
  EXPECT_EQ(anonymous->get_header_value("Location"), "/login");
  EXPECT_NE(client.Get("/login")->body.find("type=\"password\""), std::string::npos);
  EXPECT_EQ(client.Get("/healthz")->status, 200);  // for load balancers, no login

  auto with_key = [&](const std::string& principal) {
    return client.Get("/", {{"Authorization", "Bearer " + TestToken(principal)}})->status;
  };
  EXPECT_EQ(with_key("reader"), 200);
  EXPECT_EQ(with_key("order_svc"), 403);  // a SERVICE key may not read reports
  EXPECT_EQ(client.Get("/", {{"Authorization", "Bearer nope.nope"}})->status, 303);

  // The form: a wrong key is refused, a right one gets a session cookie that opens the page.
  EXPECT_EQ(client.Post("/login", httplib::Params{{"key", "nope.nope"}})->status, 401);
  httplib::Result login = client.Post("/login", httplib::Params{{"key", TestToken("ops")}});
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 303);
  std::string cookie = login->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  std::string session = cookie.substr(0, cookie.find(';'));
  httplib::Result page = client.Get("/", {{"Cookie", session}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<h1>OMS operations</h1>"), std::string::npos);
  client.Post("/logout", {{"Cookie", session}}, "", "text/plain");
  EXPECT_EQ(client.Get("/", {{"Cookie", session}})->status, 303);
}

TEST_F(DashboardTest, RebuildFactsGivesTheFiguresOfIncrementalIngestion) {
  RunOrdersToDelivery();
  if (HasFatalFailure()) return;
  WaitForIngestion();
  std::string incremental = AllReports();
  auto analytics = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel());
  grpc::ClientContext context;
  analytics::v1::RebuildFactsResponse rebuilt;
  ASSERT_TRUE(analytics->RebuildFacts(&context, {}, &rebuilt).ok());
  EXPECT_EQ(AllReports(), incremental);
  // And after a SIGKILL the cursors resume without counting anything twice.
  suite_.analytics().Kill();
  ASSERT_TRUE(Started(suite_.analytics().Start()));
  EXPECT_EQ(AllReports(), incremental);
}

}  // namespace
}  // namespace oms::integration
