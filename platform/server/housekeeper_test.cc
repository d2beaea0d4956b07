#include "platform/server/housekeeper.h"

#include "gtest/gtest.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/status.h"
#include "platform/testing/in_memory_host.h"

namespace oms {
namespace {

class HousekeeperTest : public ::testing::Test {
 protected:
  void SetUp() override { host_ = testing::InMemoryHost("t_svc", &clock_); }

  void AppendEventAndKey(const std::string& key) {
    common::v1::GetServiceInfoRequest request;
    common::v1::ServiceInfo response;
    ASSERT_TRUE(
        host_->idempotency()
            .Run("M", key, request, &response,
                 [&](Session& s) { return host_->outbox().Append(s, "a", response).status(); })
            .ok());
  }

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
};

TEST_F(HousekeeperTest, ExpiresOldKeysAndPrunesOldEventsOnly) {
  HousekeeperOptions options;
  options.idempotency_ttl = absl::Hours(24);
  options.event_retention = absl::Hours(48);
  Housekeeper housekeeper(host_.get(), options);
  AppendEventAndKey("old");
  clock_.Advance(absl::Hours(47));
  AppendEventAndKey("new");
  clock_.Advance(absl::Hours(2));  // "old" is 49h old, "new" 2h
  ASSERT_TRUE(housekeeper.RunOnce().ok());
  // A reader that had not read "old" is told it was deleted; one that had reads on.
  EXPECT_EQ(host_->outbox().List(0, 10, {}).status().code(), absl::StatusCode::kDataLoss);
  auto events = host_->outbox().List(1, 10, {});
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].seq(), 2);  // seq numbers are not reused
  // "old" was forgotten (the retry runs again); "new" is still remembered.
  AppendEventAndKey("old");
  AppendEventAndKey("new");
  EXPECT_EQ(*host_->outbox().LastSeq(), 3);
}

TEST_F(HousekeeperTest, ZeroRetentionKeepsEveryEvent) {
  Housekeeper housekeeper(host_.get(), HousekeeperOptions());
  AppendEventAndKey("a");
  clock_.Advance(absl::Hours(24 * 365));
  ASSERT_TRUE(housekeeper.RunOnce().ok());
  EXPECT_EQ(host_->outbox().List(0, 10, {})->size(), 1u);
}

}  // namespace
}  // namespace oms
