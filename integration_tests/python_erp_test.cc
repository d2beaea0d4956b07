// The ERP example (clients/python/erp_example.py) on the Python stubs generated from protos/,
// run against the real binaries, then checked from this side with the C++ stubs: the orders
// it placed exist once each (a resent document made no second order), its payments were
// booked once, the statuses it followed through the event feed are the orders' statuses,
// and the report it read counts its orders.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

// "key": "value" pairs of the summary's flat string fields (the summary is the script's own
// small JSON; no JSON library is among the suite's dependencies).
std::map<std::string, std::string> StringFields(const std::string& json) {
  std::map<std::string, std::string> fields;
  std::regex pair("\"([^\"]+)\": \"([^\"]*)\"");
  for (std::sregex_iterator it(json.begin(), json.end(), pair), end; it != end; ++it) {
    fields[(*it)[1].str()] = (*it)[2].str();
  }
  return fields;
}

class PythonErpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 100}, {"CUP-CELADON", 100}}).ok());
  }

  // Runs the example writing with `writer`'s key; answers its exit status, keeps its output
  // in out_.
  int RunExample(const std::string& json, const std::string& writer = "erp") {
    std::string python_dir = RunfilesBinary("clients/python", "");
    std::vector<std::string> args = {
        "PYTHONPATH=" + python_dir, "/usr/bin/python3", python_dir + "erp_example.py",
        // Two replicas, one of them down: the client
        // spreads calls over those that answer.
        "--orchestrator=" + suite_.orchestrator().address() + ",127.0.0.1:1",
        "--order=" + suite_.order().address(), "--analytics=" + suite_.analytics().address(),
        "--writer_key_file=" + TestKeyDir() + "/" + writer + ".key",
        "--reader_key_file=" + TestKeyDir() + "/reader.key", "--skus=TEA-LONGJING-250G,CUP-CELADON",
        "--json=" + json};
    std::string command =
        absl::StrCat(absl::StrJoin(args, " "), " > ", dir_.File("out.txt"), " 2>&1");
    int rc = std::system(command.c_str());
    out_ = ReadTextFile(dir_.File("out.txt"));
    return rc;
  }

  order::v1::Order Order(const std::string& id) {
    auto stub = order::v1::OrderService::NewStub(suite_.order().NewChannel());
    grpc::ClientContext context;
    order::v1::GetOrderRequest request;
    request.set_order_id(id);
    order::v1::Order order;
    EXPECT_TRUE(stub->GetOrder(&context, request, &order).ok()) << id;
    return order;
  }

  testing::TempDir dir_;
  Suite suite_{dir_.path()};
  std::string out_;
};

TEST_F(PythonErpTest, ErpPlacesFollowsPaysAndReportsThroughTheGeneratedClient) {
  std::string json = dir_.File("summary.json");
  ASSERT_EQ(RunExample(json), 0) << out_;
  std::string summary = ReadTextFile(json);
  std::map<std::string, std::string> fields = StringFields(summary);
  EXPECT_NE(summary.find("\"retry_same_order\": true"), std::string::npos) << summary;
  // Every bad field named in one answer.
  EXPECT_NE(fields["invalid_refused"].find("INVALID_ARGUMENT"), std::string::npos) << summary;
  EXPECT_NE(fields["invalid_refused"].find("customer.phone"), std::string::npos) << summary;
  EXPECT_NE(fields["invalid_refused"].find("quantity"), std::string::npos) << summary;

  std::string first = fields["SO-2026-0001"], second = fields["SO-2026-0002"],
              third = fields["SO-2026-0003"];
  ASSERT_FALSE(first.empty()) << summary;
  // What the ERP saw through the feed is what order_svc holds.
  EXPECT_EQ(order::v1::OrderStatus_Name(Order(first).status()), "ALLOCATED");
  EXPECT_EQ(order::v1::OrderStatus_Name(Order(second).status()), "ALLOCATED");
  EXPECT_EQ(fields[first], "ALLOCATED") << summary;
  EXPECT_EQ(fields[second], "ALLOCATED") << summary;
  // Paid once each, for the order's total, despite the duplicate bank line.
  for (const std::string& id : {first, second}) {
    EXPECT_EQ(fields[id + ":payment"], "PAID") << summary;  // as the ERP read it back
    order::v1::Order order = Order(id);
    EXPECT_EQ(order.payment().status(), order::v1::Payment::PAID) << id;
    EXPECT_EQ(order.payment().amount().minor_units(), order.total().minor_units()) << id;
  }
  EXPECT_EQ(Order(third).payment_method(), order::v1::CREDIT_TERMS);

  // One order per document: ERP orders listed by the suite are exactly the three.
  auto stub = order::v1::OrderService::NewStub(suite_.order().NewChannel());
  grpc::ClientContext context;
  order::v1::ListOrdersRequest list;
  list.add_channels(order::v1::ERP);
  order::v1::ListOrdersResponse listed;
  ASSERT_TRUE(stub->ListOrders(&context, list, &listed).ok());
  EXPECT_EQ(listed.orders_size(), 3);
  EXPECT_NE(summary.find("\"report_orders\": 3"), std::string::npos) << summary;
  EXPECT_NE(fields["csv_header"].find("orders"), std::string::npos) << summary;
}

TEST_F(PythonErpTest, WrongKeyIsAClearErrorAndAFailingExit) {
  // A reader key where a writer key belongs: PERMISSION_DENIED, reported, exit status != 0.
  EXPECT_NE(RunExample(dir_.File("summary.json"), "reader"), 0);
  EXPECT_NE(out_.find("PERMISSION_DENIED"), std::string::npos) << out_;
}

}  // namespace
}  // namespace oms::integration
