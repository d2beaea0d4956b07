// docs/OPERATIONS.md's recipes followed as a new user would: every command of the "grpcurl
// recipes" section, in document order, run by bash against a freshly started suite with no
// catalogue, no stock and no orders (the recipes make what they use), with grpcurl replaced
// by a stand-in on the generated Python stubs (clients/python/grpcurl_standin.py; grpcurl is
// not packaged in Debian). A command that fails, or a doc without recipes, fails the test;
// a few answers are then checked against what the recipes say they do.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

// The commands of the "grpcurl recipes" section's sh blocks, in order (not comments).
std::vector<std::string> RecipeCommands(const std::string& doc) {
  size_t start = doc.find("\n## grpcurl recipes");
  size_t end = doc.find("\n## ", start + 1);
  std::vector<std::string> commands;
  std::istringstream section(doc.substr(start, end - start));
  bool in_block = false;
  for (std::string line; std::getline(section, line);) {
    if (absl::StartsWith(line, "```")) {
      in_block = line == "```sh";
      continue;
    }
    if (in_block && !line.empty() && line[0] != '#') commands.push_back(line);
  }
  return commands;
}

class OpsRecipesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Started(suite_.Start())); }

  std::string Output(size_t i) {
    return ReadTextFile(dir_.File(absl::StrCat("recipe_", i, ".out")));
  }

  testing::TempDir dir_;
  Suite suite_{dir_.path()};
};

TEST_F(OpsRecipesTest, TheRecipesRunInOrderOnAFreshSuite) {
  std::string root = RunfilesBinary("", "");  // the workspace root in the runfiles
  std::vector<std::string> commands = RecipeCommands(ReadTextFile(root + "docs/OPERATIONS.md"));
  ASSERT_GE(commands.size(), 50u) << "the recipes section lost its commands";

  std::string script = "set -u -o pipefail\ncd " + root + "\n";
  absl::StrAppend(&script, "export PYTHONPATH=", root, "clients/python\n");
  absl::StrAppend(&script, "export OMS_RECIPE_PORTS=50050=", suite_.orchestrator().address(),
                  ",50051=", suite_.order().address(), ",50052=", suite_.inventory().address(),
                  ",50053=", suite_.logistics().address(), ",50054=", suite_.notify().address(),
                  ",50055=", suite_.analytics().address(), "\n");
  absl::StrAppend(&script, "grpcurl() { /usr/bin/python3 ", root,
                  "clients/python/grpcurl_standin.py \"$@\"; }\n");
  for (size_t i = 0; i < commands.size(); ++i) {
    // The suite's keys are the test's, not ./oms up's var/auth.
    std::string command = absl::StrReplaceAll(commands[i], {{"var/auth/", TestKeyDir() + "/"}});
    std::string out = dir_.File(absl::StrCat("recipe_", i, ".out"));
    if (absl::StrContains(command, "() {")) {  // a function: a redirection would stick to it
      absl::StrAppend(&script, command, "\n");
    } else if (absl::StrContains(command, "=$(")) {  // an assignment: keep its stderr
      absl::StrAppend(&script, command, " 2> ", out, " || echo \"recipe ", i, " failed\" >> ",
                      dir_.File("failures"), "\n");
    } else {
      absl::StrAppend(&script, command, " > ", out, " 2>&1 || echo \"recipe ", i, " failed\" >> ",
                      dir_.File("failures"), "\n");
    }
  }
  absl::StrAppend(&script, "echo \"$ORDER $SECOND $THIRD $REVIEW_ORDER $SHIPMENT\" > ",
                  dir_.File("ids"), "\n");
  std::ofstream(dir_.File("recipes.sh")) << script;
  ASSERT_EQ(std::system(("/bin/bash " + dir_.File("recipes.sh")).c_str()), 0);

  std::string failures = ReadTextFile(dir_.File("failures"));
  for (size_t i = 0; i < commands.size(); ++i) {
    EXPECT_EQ(failures.find(absl::StrCat("recipe ", i, " failed\n")), std::string::npos)
        << commands[i] << "\n"
        << Output(i);
  }
  // And they did what they say (spot checks of the answers and of the suite).
  auto output_of = [&](const std::string& method) {
    for (size_t i = 0; i < commands.size(); ++i) {
      if (absl::StrContains(commands[i], method)) return Output(i);
    }
    return std::string();
  };
  EXPECT_NE(output_of("Health/Check").find("SERVING"), std::string::npos);
  EXPECT_NE(output_of("CreateProduct").find("TEA-LONGJING-250G"), std::string::npos);
  EXPECT_NE(output_of("RecordPayment").find("PAID"), std::string::npos);
  EXPECT_NE(output_of("SendPurchaseOrder").find("PO_SENT"), std::string::npos);
  EXPECT_NE(output_of("ReceivePurchaseOrder").find("PO_PARTIALLY_RECEIVED"), std::string::npos);
  EXPECT_NE(output_of("ClosePurchaseOrder").find("PO_CLOSED"), std::string::npos);
  EXPECT_NE(output_of("ProposeCompensation").find("GRANTED"), std::string::npos);
  EXPECT_NE(output_of("QuotePromise").find("promisedDelivery"), std::string::npos);
  EXPECT_NE(output_of("GetCustomer").find("\"VIP\""), std::string::npos);
  EXPECT_NE(output_of("HoldOrder").find("ON_HOLD"), std::string::npos);
  EXPECT_NE(output_of("AmendOrder").find("North"), std::string::npos);
  EXPECT_NE(output_of("CancelOrder").find("CANCELLED"), std::string::npos);
  EXPECT_NE(output_of("ApproveOrder").find("AWAITING_PICKUP"), std::string::npos);
  EXPECT_NE(output_of("ConfirmDelivery").find("DELIVERED"), std::string::npos);
  EXPECT_NE(output_of("ReceiveReturn").find("RECEIVED"), std::string::npos);
  // The tea's price: no discount, no tax on the example order, and its shipping is kept.
  EXPECT_NE(output_of("RefundReturn").find("\"minorUnits\": \"12800\""), std::string::npos)
      << output_of("RefundReturn");
  EXPECT_NE(output_of("WatchEvents").find("OrderStatusChanged"), std::string::npos);
  EXPECT_NE(output_of("WatchEventBatches").find("OrderCreated"), std::string::npos);
  std::istringstream ids(ReadTextFile(dir_.File("ids")));
  std::string order, second, third;
  ids >> order >> second >> third;
  auto orders = order::v1::OrderService::NewStub(suite_.order().NewChannel());
  auto status_of = [&](const std::string& id) {
    grpc::ClientContext context;
    order::v1::GetOrderRequest get;
    get.set_order_id(id);
    order::v1::Order got;
    EXPECT_TRUE(orders->GetOrder(&context, get, &got).ok()) << id;
    return got;
  };
  EXPECT_EQ(status_of(second).status(), order::v1::CANCELLED);
  order::v1::Order refunded = status_of(third);
  EXPECT_EQ(refunded.status(), order::v1::CANCELLED);  // refunded before pickup: cancelled
  EXPECT_EQ(status_of(order).customer().shipping_address().region(), "North");
  order::v1::Order returned = status_of(order);
  EXPECT_EQ(returned.status(), order::v1::REFUNDED);  // returned and refunded
  // The one tea was all that was paid: the payment is refunded in full, in one refund.
  EXPECT_EQ(returned.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(returned.payment().refunds_size(), 1);
}

}  // namespace
}  // namespace oms::integration
