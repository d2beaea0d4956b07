// tools/omsctl against the real binaries, as an operator's script uses it: the daily tasks
// end to end (catalogue, stock in, an order placed from a JSON file, shown, listed,
// followed through its history, shipments, the event feed, the audit log, a CSV report), and
// the exit statuses scripts rely on for every kind of failure.
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

struct Result {
  int exit_code = -1;
  std::string out, err;
};

class OmsctlTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Started(suite_.Start())); }

  // omsctl with the suite's addresses and `principal`'s key, then `args`.
  Result Omsctl(const std::string& args, const std::string& principal = "ops") {
    std::string command = absl::StrCat(
        RunfilesBinary("tools/omsctl", "omsctl"),
        " --orchestrator=", suite_.orchestrator().address(), " --order=", suite_.order().address(),
        " --inventory=", suite_.inventory().address(),
        " --logistics=", suite_.logistics().address(), " --notify=", suite_.notify().address(),
        " --analytics=", suite_.analytics().address(), " --key_file=", TestKeyDir(), "/", principal,
        ".key ", args, " > ", dir_.File("out"), " 2> ", dir_.File("err"));
    int rc = std::system(command.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ReadTextFile(dir_.File("out")),
            ReadTextFile(dir_.File("err"))};
  }

  // Stock for orders to East: SH-01 with 10 units of TEA-1.
  void Catalogue() {
    ASSERT_EQ(Omsctl("warehouses create warehouse.warehouse_id=SH-01 warehouse.name=Shanghai "
                     "warehouse.region=East",
                     "admin")
                  .exit_code,
              0);
    Result product = Omsctl(
        "products create product.sku=TEA-1 product.name=Tea product.weight_g=250 "
        "product.unit_price.minor_units=12800 product.unit_price.currency_code=CNY",
        "admin");
    ASSERT_EQ(product.exit_code, 0) << product.err;
    Result received = Omsctl("stock receive TEA-1 warehouse_id=SH-01 delta=10 idempotency_key=r1");
    ASSERT_EQ(received.exit_code, 0) << received.err;
  }

  std::string OrderFile(const std::string& reference, int quantity) {
    std::string path = dir_.File(reference + ".json");
    std::ofstream(path) << absl::StrCat(
        R"({"idempotency_key": ")", reference, R"(", "order": {"channel": "PHONE",
        "external_reference": ")",
        reference, R"(", "customer": {"name": "王芳",
        "phone": "+86 138 0013 8000", "email": "wang.fang@example.cn", "shipping_address":
        {"country_code": "CN", "region": "East", "city": "Shanghai", "postal_code": "200001",
        "street": "1 Nanjing Rd"}}, "lines": [{"sku": "TEA-1", "quantity": )",
        quantity,
        R"(, "unit_price": {"currency_code": "CNY", "minor_units": 12800}}],
        "currency_code": "CNY", "payment_method": "COD"}})");
    return path;
  }

  // The value after "name: " on its own line of `text`.
  static std::string Value(const std::string& text, const std::string& name) {
    size_t at = text.find("\n" + name + ": ");
    if (at == std::string::npos && text.rfind(name + ": ", 0) == 0)
      at = 0;
    else if (at != std::string::npos)
      ++at;
    if (at == std::string::npos) return "";
    size_t start = at + name.size() + 2;
    return text.substr(start, text.find('\n', start) - start);
  }

  testing::TempDir dir_;
  Suite suite_{dir_.path()};
};

TEST_F(OmsctlTest, DailyTasksFromTheShell) {
  Catalogue();
  Result stock = Omsctl("stock show TEA-1");
  EXPECT_EQ(stock.exit_code, 0);
  EXPECT_EQ(Value(stock.out, "available"), "10") << stock.out;

  Result placed = Omsctl("orders place --request=" + OrderFile("DESK-1", 2));
  ASSERT_EQ(placed.exit_code, 0) << placed.err;
  std::string order_id = Value(placed.out, "order_id");
  ASSERT_FALSE(order_id.empty()) << placed.out;
  EXPECT_EQ(Value(placed.out, "status"), "ALLOCATED") << placed.out;  // labelled, not picked up
  // Sent again (same key): the same order, nothing new.
  EXPECT_EQ(Value(Omsctl("orders place --request=" + OrderFile("DESK-1", 2)).out, "order_id"),
            order_id);

  Result shown = Omsctl("orders show " + order_id);
  EXPECT_EQ(Value(shown.out, "total"), "256.00 CNY") << shown.out;
  Result listed = Omsctl("orders list statuses=ALLOCATED");
  EXPECT_NE(listed.out.find("orders (1)"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(order_id), std::string::npos) << listed.out;
  Result json = Omsctl("--json orders list");
  EXPECT_NE(json.out.find("\"order_id\": \"" + order_id + "\""), std::string::npos) << json.out;
  Result shipments = Omsctl("shipments list order_id=" + order_id);
  EXPECT_NE(shipments.out.find("shipments (1)"), std::string::npos) << shipments.out;
  std::string shipment_id;
  for (absl::string_view word : absl::StrSplit(shipments.out, absl::ByAnyChar(" \n"))) {
    if (absl::StartsWith(word, "shp_")) shipment_id = std::string(word);
  }
  ASSERT_FALSE(shipment_id.empty()) << shipments.out;
  Result pickup = Omsctl("shipments pickup " + shipment_id);
  EXPECT_EQ(pickup.exit_code, 0) << pickup.err;
  Result history;  // the orchestrator follows the pickup: the order is SHIPPED
  for (absl::Time give_up = absl::Now() + absl::Seconds(30); absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(100))) {
    history = Omsctl("orders history " + order_id);
    if (history.out.find("SHIPPED") != std::string::npos) break;
  }
  EXPECT_NE(history.out.find("picked up by the carrier"), std::string::npos) << history.out;
  EXPECT_EQ(Value(Omsctl("stock show TEA-1").out, "available"), "8");

  Result feed = Omsctl("feed list order types=OrderStatusChanged");
  EXPECT_NE(feed.out.find("OrderStatusChanged"), std::string::npos) << feed.out;
  EXPECT_EQ(feed.out.find("OrderCreated"), std::string::npos) << feed.out;
  Result watched = Omsctl("--timeout=2s feed watch order types=OrderStatusChanged");
  EXPECT_EQ(watched.exit_code, 0) << watched.err;  // followed until --timeout, as asked
  EXPECT_NE(watched.out.find("OrderStatusChanged"), std::string::npos) << watched.out;
  Result audit = Omsctl("audit list order");
  EXPECT_NE(audit.out.find("/oms.order.v1.OrderService/CreateOrder"), std::string::npos)
      << audit.out;
  EXPECT_EQ(Omsctl("review list").out, "(nothing)\n");
  EXPECT_EQ(Omsctl("stock check").exit_code, 0);

  // Analytics follows the feeds: wait for it (bounded), then export.
  Result csv;
  for (absl::Time give_up = absl::Now() + absl::Seconds(30); absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(100))) {
    csv = Omsctl("reports export ORDER_STATS");
    if (csv.out.find(",PHONE,1,CNY,25600") != std::string::npos) break;
  }
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("period,channel,orders,currency,revenue_minor", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find(",PHONE,1,CNY,25600"), std::string::npos) << csv.out;
}

TEST_F(OmsctlTest, ExitStatusTellsScriptsWhatWentWrong) {
  Catalogue();
  std::string order_id =
      Value(Omsctl("orders place --request=" + OrderFile("D-2", 1)).out, "order_id");
  ASSERT_FALSE(order_id.empty());

  EXPECT_EQ(Omsctl("orders show ord_missing").exit_code, 4);
  Result invalid = Omsctl("stock receive TEA-1 warehouse_id=SH-01 delta=0");
  EXPECT_EQ(invalid.exit_code, 3) << invalid.err;
  EXPECT_NE(invalid.err.find("delta"), std::string::npos) << invalid.err;
  Result held = Omsctl("orders hold " + order_id + " reason=address-check");
  EXPECT_EQ(held.exit_code, 0) << held.err;
  EXPECT_EQ(Value(held.out, "stage"), "ON_HOLD") << held.out;
  Result released = Omsctl("orders release " + order_id);
  EXPECT_EQ(Value(released.out, "stage"), "AWAITING_PICKUP") << released.out;
  Result cancelled = Omsctl("orders cancel " + order_id + " reason=changed-mind");
  EXPECT_EQ(cancelled.exit_code, 0) << cancelled.err;  // labelled, not yet picked up
  EXPECT_EQ(Value(cancelled.out, "stage"), "CANCELLED") << cancelled.out;
  Result late = Omsctl("orders hold " + order_id + " reason=too-late");
  EXPECT_EQ(late.exit_code, 5) << late.err;  // cancelled: nothing to hold
  EXPECT_EQ(Omsctl("stock receive TEA-1 warehouse_id=SH-01 delta=5", "reader").exit_code, 6);
  Result usage = Omsctl("orders list statuses=SHIPPPED");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_NE(usage.err.find("DELIVERED"), std::string::npos) << usage.err;  // the valid names
  EXPECT_EQ(Omsctl("orders frobnicate").exit_code, 2);
  EXPECT_EQ(Omsctl("--order=127.0.0.1:1 --timeout=2s orders list").exit_code, 7);

  Result help = Omsctl("exceptions resolve --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("ResolveException"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("resolution  Resolution"), std::string::npos) << help.out;
  Result all = Omsctl("--help");
  EXPECT_EQ(all.exit_code, 0);
  EXPECT_NE(all.out.find("Exit status"), std::string::npos) << all.out;
}

}  // namespace
}  // namespace oms::integration
