#include <memory>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "tools/omsctl/commands.h"
#include "tools/omsctl/exit_codes.h"
#include "tools/omsctl/linked_protos.h"
#include "tools/omsctl/render.h"
#include "tools/omsctl/request_builder.h"

namespace oms::omsctl {
namespace {

TEST(RequestBuilderTest, SetsScalarsEnumsNestedAndRepeatedFields) {
  order::v1::ListOrdersRequest list;
  ASSERT_TRUE(SetField(list, "statuses=SHIPPED").ok());
  ASSERT_TRUE(SetField(list, "statuses=4").ok());  // by number too
  ASSERT_TRUE(SetField(list, "page_size=20").ok());
  ASSERT_TRUE(SetField(list, "customer_email=a=b@example.cn").ok());  // only the first = splits
  EXPECT_EQ(list.statuses_size(), 2);
  EXPECT_EQ(list.statuses(0), order::v1::SHIPPED);
  EXPECT_EQ(list.page_size(), 20);
  EXPECT_EQ(list.customer_email(), "a=b@example.cn");

  order::v1::RecordPaymentRequest pay;
  ASSERT_TRUE(SetField(pay, "amount.minor_units=12345").ok());
  ASSERT_TRUE(SetField(pay, "amount.currency_code=CNY").ok());
  EXPECT_EQ(pay.amount().minor_units(), 12345);
}

TEST(RequestBuilderTest, RefusesWhatItCannotSetAndSaysWhy) {
  order::v1::ListOrdersRequest list;
  absl::Status unknown = SetField(list, "colour=red");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("statuses"), std::string::npos) << unknown;  // lists fields
  absl::Status enum_name = SetField(list, "statuses=SHIPPPED");
  EXPECT_NE(enum_name.message().find("DELIVERED"), std::string::npos) << enum_name;
  EXPECT_FALSE(SetField(list, "page_size=many").ok());
  EXPECT_FALSE(SetField(list, "page_size").ok());  // no '='
  order::v1::CreateOrderRequest create;
  EXPECT_FALSE(SetField(create, "customer=x").ok());  // a message, not a value
}

TEST(RequestBuilderTest, MergesJsonRequests) {
  order::v1::CreateOrderRequest create;
  ASSERT_TRUE(MergeJson(create, R"({"channel": "WEB", "customer": {"name": "王芳"},
                                    "lines": [{"sku": "TEA", "quantity": 2}]})")
                  .ok());
  EXPECT_EQ(create.channel(), order::v1::WEB);
  EXPECT_EQ(create.lines(0).quantity(), 2);
  EXPECT_EQ(MergeJson(create, "{not json").code(), absl::StatusCode::kInvalidArgument);
}

// A command's presets survive --request: `orders amend --request=FILE` kept no actor, so the
// amendment was recorded as "system" (the JSON was parsed into the request, clearing it).
TEST(RequestBuilderTest, JsonKeepsWhatThePresetsSet) {
  order::v1::RecordPaymentRequest pay;
  ASSERT_TRUE(SetField(pay, "status=REFUNDED").ok());
  ASSERT_TRUE(SetField(pay, "actor=omsctl").ok());
  ASSERT_TRUE(MergeJson(pay, R"({"amount": {"currency_code": "CNY", "minor_units": "500"}})").ok());
  EXPECT_EQ(pay.status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(pay.actor(), "omsctl");
  EXPECT_EQ(pay.amount().minor_units(), 500);
  ASSERT_TRUE(MergeJson(pay, R"({"actor": "cs:li"})").ok());  // the file may still set it
  EXPECT_EQ(pay.actor(), "cs:li");
}

TEST(RenderTest, PlainFieldsAsLinesListsAsTablesMoneyReadable) {
  order::v1::ListOrdersResponse listed;
  for (const char* id : {"ord_1", "ord_22"}) {
    order::v1::Order* o = listed.add_orders();
    o->set_order_id(id);
    o->set_status(order::v1::SHIPPED);
    o->mutable_total()->set_currency_code("CNY");
    o->mutable_total()->set_minor_units(12345);
  }
  listed.set_next_page_token("tok");
  std::string text = RenderText(listed);
  EXPECT_NE(text.find("next_page_token: tok"), std::string::npos) << text;
  EXPECT_NE(text.find("orders (2)"), std::string::npos) << text;
  EXPECT_NE(text.find("order_id  status   total"), std::string::npos) << text;  // aligned
  EXPECT_NE(text.find("ord_22    SHIPPED  123.45 CNY"), std::string::npos) << text;
  EXPECT_NE(RenderJson(listed).find("\"order_id\": \"ord_1\""), std::string::npos);
}

TEST(CommandsTest, EveryCommandNamesARealMethodItsArgumentAndPresets) {
  LinkAllProtos();
  for (const Command& c : Commands()) {
    std::string name = c.group + " " + c.verb;
    EXPECT_EQ(FindCommand(c.group, c.verb), &c) << name;  // no two commands share a name
    EXPECT_FALSE(c.summary.empty()) << name;
    const google::protobuf::MethodDescriptor* method =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(c.service + "." +
                                                                             c.method);
    ASSERT_NE(method, nullptr) << name;
    EXPECT_EQ(method->server_streaming(), c.stream) << name;
    std::unique_ptr<google::protobuf::Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->input_type())
            ->New());
    if (!c.argument.empty()) {
      EXPECT_NE(method->input_type()->FindFieldByName(c.argument), nullptr) << name;
    }
    for (const std::string& preset : c.presets) {
      EXPECT_TRUE(SetField(*request, preset).ok()) << name << ": " << preset;
    }
  }
  EXPECT_EQ(TargetByName("inventory"), Target::kInventory);
  EXPECT_EQ(TargetByName("warehouse"), Target::kChosen);
}

TEST(ExitCodesTest, ScriptsCanTellRetryableFromPermanent) {
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::OK), kOk);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INVALID_ARGUMENT), kInvalidArgument);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::NOT_FOUND), kNotFound);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::FAILED_PRECONDITION), kConflict);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::PERMISSION_DENIED), kNotAllowed);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNAVAILABLE), kUnavailable);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INTERNAL), kOtherError);
}

}  // namespace
}  // namespace oms::omsctl
