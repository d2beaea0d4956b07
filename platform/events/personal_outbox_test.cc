// The outbox with data keys, on both engines: payloads stored sealed and read opened, one
// customer erased from them, and every payload sealed again after a key rotation.
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/events/outbox.h"
#include "platform/storage/personal_records.h"
#include "platform/testing/store_test.h"
#include "platform/testing/test_data_keys.h"

namespace oms {
namespace {

order::v1::Order OrderOf(const std::string& order_id, const std::string& phone) {
  order::v1::Order order;
  order.set_order_id(order_id);
  order.mutable_customer()->set_phone(phone);
  order.mutable_customer()->set_name("Name of " + order_id);
  order.mutable_total()->set_minor_units(100);
  return order;
}

class PersonalOutboxTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    testing::UseDataKeys({"k1"});
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("outbox", Outbox::Migrations()).ok());
    commits_ = std::make_unique<CommitSignal>(db_.get());
    outbox_ = std::make_unique<Outbox>(db_.get(), "test_svc", &clock_, &ids_, commits_.get());
    ASSERT_TRUE(
        db_->Transact([&](Session& s) -> absl::Status {
             OMS_RETURN_IF_ERROR(
                 outbox_->Append(s, "ord_1", OrderOf("ord_1", "+8613800138000")).status());
             return outbox_->Append(s, "ord_2", OrderOf("ord_2", "+8613911112222")).status();
           })
            .ok());
  }
  void TearDown() override { crypto::DataProtection::Use(nullptr); }

  std::string RawPayloads() {
    std::string all;
    EXPECT_TRUE(db_->Read([&](Session& s) {
                     return s.ForEachRow("SELECT payload FROM outbox", {}, [&](const Rows& r) {
                       all += r.Blob(0);
                       return absl::OkStatus();
                     });
                   })
                    .ok());
    return all;
  }

  order::v1::Order Read(int index) {
    order::v1::Order order;
    EXPECT_TRUE((*outbox_->List(0, 10, {}))[index].payload().UnpackTo(&order));
    return order;
  }

  FakeClock clock_;
  IdGenerator ids_{&clock_};
  std::unique_ptr<Database> db_;
  std::unique_ptr<CommitSignal> commits_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_P(PersonalOutboxTest, PayloadsAreSealedAtRestAndOpenedForReaders) {
  std::string raw = RawPayloads();
  EXPECT_FALSE(absl::StrContains(raw, "13800138000"));
  EXPECT_FALSE(absl::StrContains(raw, "Name of"));
  EXPECT_TRUE(absl::StrContains(raw, "enc1:k1:"));
  EXPECT_EQ(Read(0).customer().phone(), "+8613800138000");
}

TEST_P(PersonalOutboxTest, ErasesOneCustomerAndKeepsTheRest) {
  CustomerMatch jane;
  jane.phone = "+8613800138000";
  absl::StatusOr<SweepCount> erased =
      EraseCustomerRecords(*db_, OutboxRecords(), jane, RecordAction::kRewrite);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->scanned, 2);
  EXPECT_EQ(erased->changed, 1);
  EXPECT_EQ(Read(0).customer().phone(), "");
  EXPECT_EQ(Read(0).customer().name(), "");
  EXPECT_EQ(Read(0).total().minor_units(), 100);
  EXPECT_EQ(Read(1).customer().name(), "Name of ord_2");
  EXPECT_EQ(EraseCustomerRecords(*db_, OutboxRecords(), jane, RecordAction::kRewrite)->changed, 0);
}

TEST_P(PersonalOutboxTest, ResealsEveryPayloadUnderTheNewKey) {
  testing::UseDataKeys({"k2", "k1"});
  absl::StatusOr<SweepCount> resealed = ResealRecords(*db_, OutboxRecords());
  ASSERT_TRUE(resealed.ok()) << resealed.status();
  EXPECT_EQ(resealed->changed, 2);
  EXPECT_EQ(ResealRecords(*db_, OutboxRecords())->changed, 0);
  testing::UseDataKeys({"k2"});  // k1 retired
  EXPECT_FALSE(absl::StrContains(RawPayloads(), "enc1:k1:"));
  EXPECT_EQ(Read(1).customer().phone(), "+8613911112222");
}

OMS_ON_EVERY_ENGINE(PersonalOutboxTest);

}  // namespace
}  // namespace oms
