#include "platform/base/log.h"

#include "gtest/gtest.h"

namespace oms {
namespace {

TEST(LogTest, ALineIsOneJsonObjectWithOnlyTheFieldsThatHaveValues) {
  SetLogComponent("order_svc");
  std::string line = FormatLogLine(LogLevel::kInfo, "serving on port 50051", {});
  EXPECT_EQ(line.substr(0, 9), "{\"time\":\"");
  EXPECT_EQ(line.back(), '\n');
  EXPECT_NE(line.find("\"level\":\"INFO\",\"service\":\"order_svc\","), std::string::npos) << line;
  EXPECT_NE(line.find("\"msg\":\"serving on port 50051\"}"), std::string::npos) << line;
  EXPECT_EQ(line.find("method"), std::string::npos);
  EXPECT_EQ(line.find("duration_ms"), std::string::npos);
}

TEST(LogTest, CallFieldsStatusAndDurationAreCarried) {
  SetLogComponent("inventory_svc");
  LogFields fields;
  fields.method = "/oms.inventory.v1.InventoryService/Allocate";
  fields.request_id = "req_1";
  fields.principal = "orchestrator_svc";
  fields.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  fields.status = "FAILED_PRECONDITION";
  fields.duration_us = 1234;
  std::string line = FormatLogLine(LogLevel::kWarning, "failed: no such sku", fields);
  EXPECT_NE(line.find("\"level\":\"WARNING\""), std::string::npos);
  EXPECT_NE(line.find("\"method\":\"/oms.inventory.v1.InventoryService/Allocate\""),
            std::string::npos);
  EXPECT_NE(line.find("\"request_id\":\"req_1\""), std::string::npos);
  EXPECT_NE(line.find("\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\""), std::string::npos);
  EXPECT_NE(line.find("\"principal\":\"orchestrator_svc\""), std::string::npos);
  EXPECT_NE(line.find("\"status\":\"FAILED_PRECONDITION\",\"duration_ms\":1.234,"),
            std::string::npos)
      << line;
}

TEST(LogTest, TheMessageIsEscapedAndMasked) {
  std::string line =
      FormatLogLine(LogLevel::kError, "bad \"name\"\\ on\nline two\x01 for 13800138000 张伟", {});
  EXPECT_NE(line.find("bad \\\"name\\\"\\\\ on\\nline two\\u0001"), std::string::npos) << line;
  EXPECT_EQ(line.find("13800138000"), std::string::npos) << line;  // masked
  EXPECT_NE(line.find("张伟"), std::string::npos);                 // UTF-8 passes through
  EXPECT_EQ(line.find('\n'), line.size() - 1);                     // one line
}

LogFields* served = nullptr;
void FillFromTest(LogFields& fields) {
  if (served != nullptr) fields = *served;
}

TEST(LogTest, LinesWrittenInACallNameItAndExplicitFieldsWin) {
  LogFields call;
  call.method = "/oms.order.v1.OrderService/GetOrder";
  call.request_id = "req_call";
  served = &call;
  SetLogContext(&FillFromTest);
  std::string line = FormatLogLine(LogLevel::kInfo, "looked up", {});
  EXPECT_NE(line.find("\"request_id\":\"req_call\""), std::string::npos) << line;
  LogFields own;
  own.request_id = "req_own";
  line = FormatLogLine(LogLevel::kInfo, "looked up", own);
  EXPECT_NE(line.find("\"request_id\":\"req_own\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"method\":\"/oms.order.v1.OrderService/GetOrder\""), std::string::npos);
  served = nullptr;
  SetLogContext(nullptr);
}

}  // namespace
}  // namespace oms
