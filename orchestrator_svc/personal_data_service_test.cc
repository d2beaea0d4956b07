// ResealPersonalData across stores: a peer's (order_svc, served in process) and the
// orchestrator's own. The data keys are one per process here, so every store seals with the
// same key; a store that has not reached a key yet is played by naming a key none has.
#include "orchestrator_svc/personal_data_service.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "oms/order/v1/order.pb.h"
#include "platform/crypto/data_protection.h"
#include "platform/testing/in_process_server.h"
#include "platform/testing/test_data_keys.h"

namespace oms::orchestrator {
namespace {

using privacy::v1::ResealPersonalDataRequest;
using privacy::v1::ResealReport;

ResealPersonalDataRequest Named(const std::string& key_id, bool check_only = false) {
  ResealPersonalDataRequest request;
  request.set_key_id(key_id);
  request.set_check_only(check_only);
  return request;
}

class PersonalDataServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::UseDataKeys({"k1"});
    peer_host_ = testing::InMemoryHost("order_svc", &clock_);
    own_host_ = testing::InMemoryHost("orchestrator_svc", &clock_);
    peer_ = std::make_unique<PersonalRecordsService>("order_svc", &peer_host_->db(),
                                                     PersonalDataPlan());
    own_ = std::make_unique<PersonalRecordsService>("orchestrator_svc", &own_host_->db(),
                                                    PersonalDataPlan());
    server_ = std::make_unique<testing::InProcessServer>(
        peer_host_.get(), peer_.get(), privacy::v1::PersonalRecords::service_full_name());
    ASSERT_TRUE(server_->Start().ok());
    PersonalDataService::Stubs peers;
    peers["order_svc"] = privacy::v1::PersonalRecords::NewStub(server_->Channel());
    service_ = std::make_unique<PersonalDataService>(own_host_.get(), own_.get(), std::move(peers),
                                                     absl::Seconds(10));
    // One event naming a customer in each store, sealed under k1.
    AppendOrderEvent(*peer_host_, "ord_1");
    AppendOrderEvent(*own_host_, "ord_1");
    testing::UseDataKeys({"k2", "k1"});  // k2 active
  }
  void TearDown() override {
    server_->Shutdown();
    crypto::DataProtection::Use(nullptr);
  }

  static void AppendOrderEvent(ServiceHost& host, const std::string& order_id) {
    order::v1::Order order;
    order.set_order_id(order_id);
    order.mutable_customer()->set_phone("+8613800138000");
    ASSERT_TRUE(
        host.db()
            .Transact([&](Session& s) { return host.outbox().Append(s, order_id, order).status(); })
            .ok());
  }

  FakeClock clock_;
  std::unique_ptr<ServiceHost> peer_host_;
  std::unique_ptr<ServiceHost> own_host_;
  std::unique_ptr<PersonalRecordsService> peer_;
  std::unique_ptr<PersonalRecordsService> own_;
  std::unique_ptr<testing::InProcessServer> server_;
  std::unique_ptr<PersonalDataService> service_;
};

TEST_F(PersonalDataServiceTest, ARefusedSweepChangesNothingAndTheNextCountsEveryRow) {
  absl::StatusOr<ResealReport> refused = service_->Reseal(Named("k-none"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "k2")) << refused.status();
  // Before the stores were asked first, the refused call had already swept both: this
  // report then said 0, as if nothing had been under the old key.
  absl::StatusOr<ResealReport> swept = service_->Reseal(Named("k2"));
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->active_key_id(), "k2");
  EXPECT_EQ(swept->total_resealed(), 2) << swept->ShortDebugString();
  EXPECT_EQ(service_->Reseal(ResealPersonalDataRequest())->total_resealed(), 0);
}

TEST_F(PersonalDataServiceTest, CheckOnlyAnswersTheKeyAndSweepsNothing) {
  absl::StatusOr<ResealReport> checked = service_->Reseal(Named("k2", /*check_only=*/true));
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(checked->active_key_id(), "k2");
  EXPECT_EQ(checked->tables_size(), 0);
  EXPECT_EQ(service_->Reseal(Named("k1", true)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->Reseal(Named("k2"))->total_resealed(), 2);
}

TEST_F(PersonalDataServiceTest, AStoreRefusesASweepUnderAKeyItDoesNotSealWith) {
  absl::StatusOr<ResealReport> refused = peer_->Reseal(Named("k1"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "order_svc seals with data key k2"))
      << refused.status();
  EXPECT_EQ(peer_->Reseal(Named("k2"))->total_resealed(), 1);
}

}  // namespace
}  // namespace oms::orchestrator
