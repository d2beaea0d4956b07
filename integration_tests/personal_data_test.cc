// Customers' personal data on the real binaries: no store, backup or WAL holds a customer's
// phone, name, e-mail or street in clear; EraseCustomerData removes one customer from every
// service and feed while the sales report keeps its totals; and a data key is rotated with
// orders written under both keys, swept, and the old key retired while the suite runs.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "oms/privacy/v1/privacy.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/base/files.h"
#include "platform/crypto/data_key_file.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using orchestrator::v1::OrchestratorService;
using privacy::v1::PersonalData;

// SampleCreateOrder's customer, as stored (the phone normalised).
const std::vector<std::string> kJaneInClear = {"13800138000", "zhang.wei@example.cn",
                                               "\xE5\xBC\xA0\xE4\xBC\x9F",   // 张伟
                                               "\xE4\xB8\x96\xE7\xBA\xAA"};  // 世纪 (street)
constexpr char kOtherPhone[] = "+8613911112222";
constexpr char kOtherName[] = "Li Na";

class PersonalDataTest : public ::testing::Test {
 protected:
  PersonalDataTest() : suite_(dir_.path(), Flags()) {}

  SuiteFlags Flags() {
    EXPECT_TRUE(crypto::EnsureDataKeyFile(KeyFile()).ok());
    SuiteFlags flags;
    flags.all = {"--data_key_file=" + KeyFile(), "--key_reload_interval=100ms"};
    return flags;
  }

  std::string KeyFile() const { return dir_.path() + "/data.keys"; }

  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    orchestrator_ = OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    privacy_ = PersonalData::NewStub(suite_.orchestrator().NewChannel("admin"));
    orders_ = order::v1::OrderService::NewStub(suite_.order().NewChannel());
    analytics_ = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel());
    auto inventory = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory, {{"TEA-LONGJING-250G", 50}, {"CUP-CELADON", 50}}).ok());
  }

  std::string Place(const std::string& reference, bool other_customer = false) {
    orchestrator::v1::PlaceOrderRequest request;
    request.set_idempotency_key("place-" + reference);
    *request.mutable_order() = order::SampleCreateOrder(reference);
    if (other_customer) {
      request.mutable_order()->mutable_customer()->set_phone(kOtherPhone);
      request.mutable_order()->mutable_customer()->set_name(kOtherName);
      request.mutable_order()->mutable_customer()->set_email("li.na@example.cn");
      request.mutable_order()->mutable_customer()->mutable_shipping_address()->set_street(
          "88 Nanjing Road");
    }
    orchestrator::v1::PlaceOrderResponse placed =
        Call(orchestrator_.get(), &OrchestratorService::Stub::PlaceOrder, request);
    return placed.order_id();
  }

  order::v1::Order GetOrder(const std::string& order_id) {
    order::v1::GetOrderRequest request;
    request.set_order_id(order_id);
    return Call(orders_.get(), &order::v1::OrderService::Stub::GetOrder, request);
  }

  analytics::v1::GetSalesReportResponse Sales() {
    return Call(analytics_.get(), &analytics::v1::AnalyticsService::Stub::GetSalesReport,
                analytics::v1::GetSalesReportRequest());
  }

  // Every byte of every store of the suite (and of their WAL files).
  std::string AllStoreBytes(const std::string& dir) {
    std::string all;
    for (const char* service : {"orchestrator_svc", "order_svc", "inventory_svc", "logistics_svc",
                                "notify_svc", "analytics_svc"}) {
      std::string db = absl::StrCat(dir, "/", service, ".db");
      for (const std::string& file : {db, db + "-wal"}) {
        absl::StatusOr<std::string> bytes = ReadSmallFile(file);
        if (bytes.ok()) all += *bytes;
      }
    }
    return all;
  }

  // The order feed as a reader gets it (opened): one text to search.
  std::string OrderFeed() {
    auto feed = events::v1::EventFeed::NewStub(suite_.order().NewChannel());
    events::v1::ListEventsRequest request;
    request.set_limit(1000);
    events::v1::ListEventsResponse events =
        Call(feed.get(), &events::v1::EventFeed::Stub::ListEvents, request);
    std::string text;
    for (const auto& event : events.events()) text += event.payload().value();
    return text;
  }

  privacy::v1::ErasureReport Erase(const std::string& key, const std::string& phone) {
    privacy::v1::EraseCustomerDataRequest request;
    request.set_idempotency_key(key);
    request.mutable_customer()->set_phone(phone);
    request.set_reason("DSR-2026-0042");
    return Call(privacy_.get(), &PersonalData::Stub::EraseCustomerData, request);
  }

  oms::testing::TempDir dir_;
  Suite suite_;
  std::unique_ptr<OrchestratorService::Stub> orchestrator_;
  std::unique_ptr<PersonalData::Stub> privacy_;
  std::unique_ptr<order::v1::OrderService::Stub> orders_;
  std::unique_ptr<analytics::v1::AnalyticsService::Stub> analytics_;
};

TEST_F(PersonalDataTest, NoStoreNorBackupHoldsACustomerInClear) {
  std::string order_id = Place("PII-1");
  Place("PII-2");
  ASSERT_EQ(GetOrder(order_id).customer().phone(), "+8613800138000");  // opened for callers
  // Every follower has applied the orders (notify wrote its messages, analytics its facts).
  ASSERT_TRUE(WaitFor([&] { return Sales().skus_size() == 2; }));
  std::string stores = AllStoreBytes(dir_.path());
  ASSERT_GT(stores.size(), 100000u);
  EXPECT_TRUE(absl::StrContains(stores, "enc1:"));  // sealed values are there
  for (const std::string& clear : kJaneInClear) {
    EXPECT_FALSE(absl::StrContains(stores, clear)) << clear;
  }
  testing::TempDir backup;
  std::string command =
      absl::StrCat(RunfilesBinary("tools/backup", "backup"), " --from=", dir_.path(),
                   " --to=", backup.path(), " >/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::string backed_up = AllStoreBytes(backup.path());
  ASSERT_GT(backed_up.size(), 100000u);
  for (const std::string& clear : kJaneInClear) {
    EXPECT_FALSE(absl::StrContains(backed_up, clear)) << clear;
  }
}

TEST_F(PersonalDataTest, ErasureClearsOneCustomerEverywhereAndKeepsTheTotals) {
  std::string jane_1 = Place("ERASE-1"), jane_2 = Place("ERASE-2");
  std::string other = Place("KEEP-1", /*other_customer=*/true);
  ASSERT_TRUE(WaitFor([&] {
    analytics::v1::GetSalesReportResponse sales = Sales();
    return sales.skus_size() == 2 && sales.skus(0).quantity() + sales.skus(1).quantity() == 9;
  }));
  std::string totals_before = Sales().SerializeAsString();

  // Admin only; a customer must be named by exactly one key, with a reason.
  privacy::v1::EraseCustomerDataRequest bad;
  bad.mutable_customer()->set_phone("+86 138-0013-8000");
  bad.mutable_customer()->set_email("zhang.wei@example.cn");
  privacy::v1::ErasureReport ignored;
  grpc::Status refused = Try(privacy_.get(), &PersonalData::Stub::EraseCustomerData, bad, &ignored);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "reason")) << refused.error_message();
  auto as_ops = PersonalData::NewStub(suite_.orchestrator().NewChannel("ops"));
  EXPECT_EQ(Try(as_ops.get(), &PersonalData::Stub::EraseCustomerData, bad, &ignored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  privacy::v1::ErasureReport report = Erase("erase-jane", "+86 138-0013-8000");
  EXPECT_EQ(std::vector<std::string>(report.order_ids().begin(), report.order_ids().end()),
            (std::vector<std::string>{std::min(jane_1, jane_2), std::max(jane_1, jane_2)}));
  std::map<std::string, int64_t> erased;
  for (const auto& part : report.erased())
    erased[part.service() + "/" + part.table()] = part.records();
  EXPECT_EQ(erased["order_svc/orders"], 2) << report.ShortDebugString();
  EXPECT_GT(erased["order_svc/outbox"], 0);
  EXPECT_EQ(erased["orchestrator_svc/workflows"], 2);
  EXPECT_GT(erased["logistics_svc/outbox"] + erased["logistics_svc/shipments"], 0);
  EXPECT_GT(erased["notify_svc/messages"], 0);
  EXPECT_EQ(erased["analytics_svc/fact_orders (customer)"], 2);

  order::v1::Order erased_order = GetOrder(jane_1);
  EXPECT_EQ(erased_order.customer().phone(), "");
  EXPECT_EQ(erased_order.customer().name(), "");
  EXPECT_EQ(erased_order.customer().shipping_address().street(), "");
  EXPECT_EQ(erased_order.total().minor_units(), GetOrder(other).total().minor_units());
  EXPECT_EQ(GetOrder(other).customer().name(), kOtherName);
  order::v1::ListOrdersRequest by_phone;
  by_phone.set_customer_phone("+86 138-0013-8000");
  EXPECT_EQ(Call(orders_.get(), &order::v1::OrderService::Stub::ListOrders, by_phone).orders_size(),
            0);
  std::string feed = OrderFeed();
  for (const std::string& clear : kJaneInClear)
    EXPECT_FALSE(absl::StrContains(feed, clear)) << clear;
  EXPECT_TRUE(absl::StrContains(feed, kOtherName));
  EXPECT_EQ(Sales().SerializeAsString(), totals_before);

  // Idempotent: the same key answers the same report; a new one finds nothing left.
  EXPECT_EQ(Erase("erase-jane", "+86 138-0013-8000").SerializeAsString(),
            report.SerializeAsString());
  EXPECT_EQ(Erase("erase-jane-again", "+8613800138000").total_records(), 0);
}

TEST_F(PersonalDataTest, ARotatedKeyIsSweptAndTheOldOneRetiredWithoutARestart) {
  std::string under_first = Place("ROTATE-1");
  absl::StatusOr<std::string> second = crypto::AddDataKey(KeyFile());
  ASSERT_TRUE(second.ok()) << second.status();
  // Named, the sweep refuses until every service seals with the new key (the file is re-read
  // every 100 ms): unnamed, a sweep right after the rotation could run under k1 and reseal
  // nothing. A refused call sweeps no store, so the one that succeeds counts the rows still
  // under k1. A key no service has is refused the same way.
  privacy::v1::ResealPersonalDataRequest with_new_key;
  with_new_key.set_key_id(*second);
  privacy::v1::ResealReport swept;
  ASSERT_TRUE(WaitFor([&] {
    grpc::ClientContext context;
    return privacy_->ResealPersonalData(&context, with_new_key, &swept).ok();
  }));
  privacy::v1::ResealPersonalDataRequest with_unknown_key;
  with_unknown_key.set_key_id("k-none");
  privacy::v1::ResealReport refused;
  EXPECT_EQ(Try(privacy_.get(), &PersonalData::Stub::ResealPersonalData, with_unknown_key, &refused)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(swept.active_key_id(), *second);
  EXPECT_GT(swept.total_resealed(), 0) << swept.ShortDebugString();
  std::string under_second = Place("ROTATE-2");
  ASSERT_TRUE(crypto::RetireDataKey(KeyFile(), "k1").ok());
  // Nothing is left under k1: a second sweep reseals nothing, and both orders read.
  ASSERT_TRUE(WaitFor([&] {
    grpc::ClientContext context;
    return privacy_->ResealPersonalData(&context, {}, &swept).ok() && swept.total_resealed() == 0;
  })) << swept.ShortDebugString();
  EXPECT_EQ(GetOrder(under_first).customer().phone(), "+8613800138000");
  EXPECT_EQ(GetOrder(under_second).customer().name(), "\xE5\xBC\xA0\xE4\xBC\x9F");
}

}  // namespace
}  // namespace oms::integration
