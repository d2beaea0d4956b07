// Every grpcurl recipe of docs/OPERATIONS.md, run as written (its own command line, in
// document order, by bash) against the real binaries, with grpcurl replaced by a stand-in on
// the generated Python stubs (clients/python/grpcurl_standin.py; grpcurl is not packaged in
// Debian). The data the recipes point at ($ORDER, $TICKET...) is made first through the
// C++ stubs. A recipe that fails, or a doc without recipes, fails the test.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

// The grpcurl lines of the "grpcurl recipes" section, in order.
std::vector<std::string> RecipeLines(const std::string& doc) {
  size_t start = doc.find("\n## grpcurl recipes");
  size_t end = doc.find("\n## ", start + 1);
  std::vector<std::string> lines;
  std::istringstream section(doc.substr(start, end - start));
  for (std::string line; std::getline(section, line);) {
    if (absl::StartsWith(line, "grpcurl ")) lines.push_back(line);
  }
  return lines;
}

class OpsRecipesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(suite_.Start().ok());
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 200}, {"CUP-CELADON", 50}}).ok());
  }

  // What the recipes' variables point at, made through the C++ stubs.
  std::map<std::string, std::string> MakeData() {
    std::map<std::string, std::string> vars = {{"SKU", "TEA-LONGJING-250G"}};
    auto orders = order::v1::OrderService::NewStub(suite_.order().NewChannel());
    auto orchestrator =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    auto logistics = logistics::v1::LogisticsService::NewStub(suite_.logistics().NewChannel());
    {  // an order recorded but not placed: hold, release, pay, cancel
      grpc::ClientContext context;
      order::v1::Order created;
      EXPECT_TRUE(orders->CreateOrder(&context, order::SampleCreateOrder("OPS-1"), &created).ok());
      vars["ORDER"] = created.order_id();
      vars["TOTAL"] = absl::StrCat(created.total().minor_units());
    }
    auto place = [&](const std::string& reference, int quantity) {
      grpc::ClientContext context;
      orchestrator::v1::PlaceOrderRequest request;
      request.set_idempotency_key(reference);
      *request.mutable_order() = order::SampleCreateOrder(reference);
      request.mutable_order()->mutable_lines(0)->set_quantity(quantity);
      orchestrator::v1::PlaceOrderResponse placed;
      EXPECT_TRUE(orchestrator->PlaceOrder(&context, request, &placed).ok()) << reference;
      return placed.order_id();
    };
    vars["SHIPPED_ORDER"] = place("OPS-2", 1);
    {
      grpc::ClientContext context;
      logistics::v1::ListShipmentsRequest list;
      list.set_order_id(vars["SHIPPED_ORDER"]);
      logistics::v1::ListShipmentsResponse listed;
      EXPECT_TRUE(logistics->ListShipments(&context, list, &listed).ok());
      EXPECT_EQ(listed.shipments_size(), 1);
      if (listed.shipments_size() > 0) {
        vars["SHIPMENT"] = listed.shipments(0).shipment_id();
        vars["TRACKING"] = listed.shipments(0).tracking_number();
      }
    }
    {
      grpc::ClientContext context;
      orchestrator::v1::OpenExceptionRequest open;
      open.set_idempotency_key("complaint-setup");
      open.set_order_id(vars["SHIPPED_ORDER"]);
      open.set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
      open.set_description("late");
      orchestrator::v1::ExceptionTicket ticket;
      EXPECT_TRUE(orchestrator->OpenException(&context, open, &ticket).ok());
      vars["TICKET"] = ticket.ticket_id();
    }
    {  // the recipes' own rule, so that a big order waits for review
      grpc::ClientContext context;
      orchestrator::v1::SaveReviewRuleRequest save;
      orchestrator::v1::ReviewRule* rule = save.mutable_rule();
      rule->set_rule_id("big-orders");
      rule->set_position(10);
      rule->set_kind(orchestrator::v1::ReviewRule::AMOUNT_ABOVE);
      rule->mutable_limit()->set_currency_code("CNY");
      rule->mutable_limit()->set_minor_units(500000);
      rule->set_action(orchestrator::v1::ReviewRule::MANUAL_REVIEW);
      rule->set_enabled(true);
      orchestrator::v1::ReviewRule saved;
      EXPECT_TRUE(orchestrator->SaveReviewRule(&context, save, &saved).ok());
    }
    vars["REVIEW_ORDER"] = place("OPS-3", 50);
    return vars;
  }

  testing::TempDir dir_;
  Suite suite_{dir_.path()};
};

TEST_F(OpsRecipesTest, EveryRecipeRunsAsWritten) {
  std::string root = RunfilesBinary("", "");  // the workspace root in the runfiles
  std::vector<std::string> recipes = RecipeLines(ReadTextFile(root + "docs/OPERATIONS.md"));
  ASSERT_GE(recipes.size(), 30u) << "the recipes section lost its commands";
  std::map<std::string, std::string> vars = MakeData();
  ASSERT_FALSE(HasFailure());

  std::string script = "set -u\ncd " + root + "\n";
  absl::StrAppend(&script, "export PYTHONPATH=", root, "clients/python\n");
  absl::StrAppend(&script, "export OMS_RECIPE_PORTS=50050=", suite_.orchestrator().address(),
                  ",50051=", suite_.order().address(), ",50052=", suite_.inventory().address(),
                  ",50053=", suite_.logistics().address(), ",50054=", suite_.notify().address(),
                  ",50055=", suite_.analytics().address(), "\n");
  absl::StrAppend(&script, "grpcurl() { /usr/bin/python3 ", root,
                  "clients/python/grpcurl_standin.py \"$@\"; }\n");
  absl::StrAppend(&script, "AUTH=\"authorization: Bearer $(cat ", TestKeyDir(), "/ops.key)\"\n");
  absl::StrAppend(&script, "ADMIN=\"authorization: Bearer $(cat ", TestKeyDir(), "/admin.key)\"\n");
  for (const auto& [name, value] : vars) absl::StrAppend(&script, name, "='", value, "'\n");
  for (size_t i = 0; i < recipes.size(); ++i) {
    std::string out = dir_.File(absl::StrCat("recipe_", i, ".out"));
    absl::StrAppend(&script, recipes[i], " > ", out, " 2>&1 || echo \"recipe ", i, " failed\" >> ",
                    dir_.File("failures"), "\n");
  }
  std::ofstream(dir_.File("recipes.sh")) << script;
  ASSERT_EQ(std::system(("/bin/bash " + dir_.File("recipes.sh")).c_str()), 0);

  std::string failures = ReadTextFile(dir_.File("failures"));
  for (size_t i = 0; i < recipes.size(); ++i) {
    std::string failed = absl::StrCat("recipe ", i, " failed\n");
    EXPECT_EQ(failures.find(failed), std::string::npos)
        << recipes[i] << "\n"
        << ReadTextFile(dir_.File(absl::StrCat("recipe_", i, ".out")));
  }
  // And they did what they say (a few spot checks of the answers).
  auto output_of = [&](const std::string& method) {
    for (size_t i = 0; i < recipes.size(); ++i) {
      if (absl::StrContains(recipes[i], method)) {
        return ReadTextFile(dir_.File(absl::StrCat("recipe_", i, ".out")));
      }
    }
    return std::string();
  };
  EXPECT_NE(output_of("Health/Check").find("SERVING"), std::string::npos);
  EXPECT_NE(output_of("CancelOrder").find("CANCELLED"), std::string::npos);
  EXPECT_NE(output_of("RecordPayment").find("PAID"), std::string::npos);
  EXPECT_NE(output_of("ApproveOrder").find(vars["REVIEW_ORDER"]), std::string::npos);
  EXPECT_NE(output_of("ResolveException").find("RESOLVED"), std::string::npos);
  EXPECT_NE(output_of("ConfirmDelivery").find("DELIVERED"), std::string::npos);
  EXPECT_NE(output_of("WatchEvents").find("OrderStatusChanged"), std::string::npos);
}

}  // namespace
}  // namespace oms::integration
