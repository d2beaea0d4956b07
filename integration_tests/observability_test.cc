// What an on-call engineer reads off the real binaries: each service's /metrics counts the
// calls a scenario made, and one order's trace (a W3C traceparent the client sends) spans
// PlaceOrder, the peer calls it made and the follow-ups other services applied from the
// feeds, in the exported spans, the JSON log lines and the audit log alike.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/security/v1/security.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using orchestrator::v1::OrchestratorService;

constexpr char kTraceId[] = "0af7651916cd43dd8448eb211c80319c";
constexpr char kClientSpan[] = "b7ad6b7169203331";

class ObservabilityTest : public ::testing::Test {
 protected:
  ObservabilityTest() : suite_(dir_.path(), Flags()) {}

  SuiteFlags Flags() {
    SuiteFlags flags;
    flags.all = {"--log_calls", "--trace_sample_rate=0"};  // only the client's trace is kept
    for (const char* name : {"order_svc", "inventory_svc", "logistics_svc", "orchestrator_svc",
                             "notify_svc", "analytics_svc"}) {
      metrics_ports_[name] = ReserveLoopbackPort();
    }
    auto own = [&](const std::string& name) {
      return std::vector<std::string>{
          absl::StrCat("--metrics_listen=127.0.0.1:", metrics_ports_[name]),
          absl::StrCat("--trace_export=file:", SpansFile(name))};
    };
    flags.order = own("order_svc");
    flags.inventory = own("inventory_svc");
    flags.logistics = own("logistics_svc");
    flags.orchestrator = own("orchestrator_svc");
    flags.notify = own("notify_svc");
    flags.analytics = own("analytics_svc");
    return flags;
  }

  std::string SpansFile(const std::string& service) const {
    return absl::StrCat(dir_.path(), "/", service, ".spans.jsonl");
  }

  std::string Scrape(const std::string& service) {
    httplib::Client client("127.0.0.1", metrics_ports_[service]);
    httplib::Result result = client.Get("/metrics");
    if (!result || result->status != 200) return "";
    EXPECT_TRUE(absl::StartsWith(result->get_header_value("Content-Type"), "text/plain"));
    return result->body;
  }

  // The value of the sample `series` ("name{labels}") in a scrape, or -1 when absent.
  static double Sample(const std::string& scrape, const std::string& series) {
    for (absl::string_view line : absl::StrSplit(scrape, '\n')) {
      if (absl::StartsWith(line, series + " ")) {
        double value = 0;
        if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
      }
    }
    return -1;
  }

  orchestrator::v1::PlaceOrderResponse Place(const std::string& reference,
                                             const std::string& traceparent = "") {
    orchestrator::v1::PlaceOrderRequest request;
    request.set_idempotency_key("place-" + reference);
    *request.mutable_order() = order::SampleCreateOrder(reference);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    if (!traceparent.empty()) context.AddMetadata("traceparent", traceparent);
    orchestrator::v1::PlaceOrderResponse response;
    grpc::Status status = orchestrator_->PlaceOrder(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    orchestrator_ = OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 50}, {"CUP-CELADON", 50}}).ok());
  }

  oms::testing::TempDir dir_;
  std::map<std::string, int> metrics_ports_;
  Suite suite_;
  std::unique_ptr<OrchestratorService::Stub> orchestrator_;
};

TEST_F(ObservabilityTest, MetricsCountTheCallsAScenarioMade) {
  for (int i = 1; i <= 3; ++i) Place(absl::StrCat("OBS-", i));
  orchestrator::v1::PlaceOrderRequest empty;
  empty.set_idempotency_key("place-empty");
  orchestrator::v1::PlaceOrderResponse ignored;
  EXPECT_EQ(Try(orchestrator_.get(), &OrchestratorService::Stub::PlaceOrder, empty, &ignored)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  std::string orchestrator = Scrape("orchestrator_svc");
  const std::string place =
      "{grpc_service=\"oms.orchestrator.v1.OrchestratorService\",grpc_method=\"PlaceOrder\"";
  EXPECT_EQ(Sample(orchestrator, "grpc_server_handled_total" + place + ",grpc_code=\"OK\"}"), 3)
      << orchestrator;
  EXPECT_EQ(Sample(orchestrator,
                   "grpc_server_handled_total" + place + ",grpc_code=\"INVALID_ARGUMENT\"}"),
            1);
  EXPECT_EQ(Sample(orchestrator, "grpc_server_handling_seconds_count" + place + "}"), 4);
  EXPECT_EQ(Sample(orchestrator, "grpc_server_handling_seconds_bucket" + place + ",le=\"+Inf\"}"),
            4);
  EXPECT_GT(Sample(orchestrator, "oms_store_commits_total{result=\"ok\"}"), 3);
  EXPECT_GT(Sample(orchestrator, "process_resident_memory_bytes"), 1e6);
  EXPECT_GT(Sample(orchestrator, "process_cpu_seconds_total"), 0);
  EXPECT_GT(Sample(orchestrator, "oms_store_size_bytes"), 0);
  // Durable by default: COMMITs made and the WAL fsynced. (Not compared with each other:
  // background writes go on, and a group's COMMIT is counted before its members are.)
  EXPECT_GT(Sample(orchestrator, "oms_store_commit_groups_total"), 0);
  EXPECT_GT(Sample(orchestrator, "oms_store_wal_syncs_total"), 0);
  EXPECT_EQ(Sample(orchestrator, "oms_store_fault"), 0);
  // Three workflows, wherever they are now; the order feed followed.
  double workflows = 0;
  for (absl::string_view line : absl::StrSplit(orchestrator, '\n')) {
    if (absl::StartsWith(line, "oms_workflows{")) {
      double value = 0;
      ASSERT_TRUE(absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value));
      workflows += value;
    }
  }
  EXPECT_EQ(workflows, 3);
  EXPECT_NE(Sample(orchestrator, "oms_feed_consumer_position{source=\"order_svc\"}"), -1);

  std::string orders = Scrape("order_svc");
  EXPECT_EQ(Sample(orders,
                   "grpc_server_handled_total{grpc_service=\"oms.order.v1.OrderService\","
                   "grpc_method=\"CreateOrder\",grpc_code=\"OK\"}"),
            3)
      << orders;
  EXPECT_GT(Sample(orders, "oms_outbox_last_sequence"), 2);
  // The followers catch up with order_svc's feed: their lag gauges drop to zero.
  EXPECT_TRUE(WaitFor([&] {
    std::string analytics = Scrape("analytics_svc");
    return Sample(analytics, "oms_feed_consumer_lag_events{source=\"order_svc\"}") == 0 &&
           Sample(analytics, "oms_feed_consumer_events_total{source=\"order_svc\"}") >= 3;
  }));
  for (const char* service : {"inventory_svc", "logistics_svc", "notify_svc", "analytics_svc"}) {
    EXPECT_NE(Scrape(service).find("# TYPE grpc_server_handled_total counter"), std::string::npos)
        << service;
  }
}

TEST_F(ObservabilityTest, OneOrdersTraceSpansEveryServiceItTouched) {
  const std::string traceparent = absl::StrCat("00-", kTraceId, "-", kClientSpan, "-01");
  orchestrator::v1::PlaceOrderResponse placed = Place("TRACE-1", traceparent);
  Place("OTHER-1");  // another order: not in the trace
  ASSERT_FALSE(placed.order_id().empty());

  // Spans go out within a second of ending (the exporter's flush interval): poll for them.
  auto spans_of = [&](const std::string& service) {
    std::string text = ReadTextFile(SpansFile(service));
    std::vector<std::string> names;
    for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
      for (absl::string_view span : absl::StrSplit(line, "{\"traceId\":\"")) {
        if (!absl::StartsWith(span, kTraceId)) continue;
        size_t name = span.find("\"name\":\"");
        size_t end = span.find('"', name + 8);
        names.emplace_back(span.substr(name + 8, end - name - 8));
      }
    }
    return absl::StrJoin(names, "|");
  };
  auto has = [&](const std::string& service, const std::string& name) {
    return absl::StrContains(spans_of(service), name);
  };
  EXPECT_TRUE(WaitFor([&] {
    return has("orchestrator_svc", "/oms.orchestrator.v1.OrchestratorService/PlaceOrder") &&
           has("order_svc", "/oms.order.v1.OrderService/CreateOrder") &&
           has("inventory_svc", "/oms.inventory.v1.InventoryService/Allocate") &&
           has("analytics_svc", "apply OrderCreated") && has("notify_svc", "apply OrderCreated");
  })) << "orchestrator: "
      << spans_of("orchestrator_svc") << "\norder: " << spans_of("order_svc")
      << "\ninventory: " << spans_of("inventory_svc")
      << "\nanalytics: " << spans_of("analytics_svc") << "\nnotify: " << spans_of("notify_svc");
  // The orchestrator's server span is the client's child; its peer calls are CLIENT spans.
  std::string orchestrator_spans = ReadTextFile(SpansFile("orchestrator_svc"));
  EXPECT_TRUE(absl::StrContains(
      orchestrator_spans, absl::StrCat("\"parentSpanId\":\"", kClientSpan,
                                       "\",\"name\":\"/oms.orchestrator.v1.OrchestratorService/"
                                       "PlaceOrder\",\"kind\":2")));
  EXPECT_TRUE(absl::StrContains(orchestrator_spans,
                                "\"name\":\"/oms.order.v1.OrderService/CreateOrder\",\"kind\":3"));
  // Sampling is off for new traces: the other order (and the seeding) left no spans.
  auto count = [](const std::string& text, const std::string& part) {
    int n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  std::string order_spans = ReadTextFile(SpansFile("order_svc"));
  EXPECT_GT(count(order_spans, "\"traceId\":\""), 0);
  EXPECT_EQ(count(order_spans, "\"traceId\":\""),
            count(order_spans, absl::StrCat("\"traceId\":\"", kTraceId, "\"")));

  // The JSON log lines of order_svc and inventory_svc carry the same trace id.
  const std::string trace_field = absl::StrCat("\"trace_id\":\"", kTraceId, "\"");
  for (const char* service : {"order_svc", "inventory_svc", "orchestrator_svc"}) {
    std::string log = ReadTextFile(absl::StrCat(dir_.path(), "/", service, ".log"));
    EXPECT_TRUE(absl::StrContains(log, trace_field)) << service;
  }
  // And the audit log's entry for the order names it too.
  auto audit = security::v1::AuditLog::NewStub(suite_.order().NewChannel());
  security::v1::ListAuditLogRequest list;
  list.set_target_id(placed.order_id());
  auto entries = Call(audit.get(), &security::v1::AuditLog::Stub::ListAuditLog, list);
  bool traced = false;
  for (const auto& entry : entries.entries()) traced |= entry.trace_id() == kTraceId;
  EXPECT_TRUE(traced) << entries.DebugString();
}

}  // namespace
}  // namespace oms::integration
