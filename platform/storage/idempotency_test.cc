#include "platform/storage/idempotency.h"

#include "gtest/gtest.h"
#include "oms/events/v1/events.pb.h"
#include "platform/base/status.h"
#include "platform/testing/store_test.h"

namespace oms {
namespace {

// The mechanism is message-agnostic: the tests use two small feed messages as request and
// response.
class IdempotencyTest : public ::oms::testing::StoreTest {
 protected:
  void SetUp() override {
    db_ = NewStore();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate("idempotency", Idempotency::Migrations()).ok());
    ASSERT_TRUE(db_->Migrate("t", {"CREATE TABLE effects (n INTEGER)"}).ok());
    idempotency_ = std::make_unique<Idempotency>(db_.get(), &clock_);
  }

  absl::Status Call(const std::string& key, int64_t after_seq,
                    events::v1::WatchEventsRequest* response) {
    events::v1::ListEventsRequest request;
    request.set_after_seq(after_seq);
    return idempotency_->Run("Test/Do", key, request, response, [&](Session& s) -> absl::Status {
      OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO effects(n) VALUES(?)", {after_seq}).status());
      response->set_after_seq(++calls_);
      return absl::OkStatus();
    });
  }

  int64_t Effects() {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Session& s) {
                     return s.ForEachRow("SELECT COUNT(*) FROM effects", {}, [&](const Rows& r) {
                       n = r.Int(0);
                       return absl::OkStatus();
                     });
                   })
                    .ok());
    return n;
  }

  FakeClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Idempotency> idempotency_;
  int calls_ = 0;
};

TEST_P(IdempotencyTest, RetryReturnsStoredResponseWithoutSecondEffect) {
  events::v1::WatchEventsRequest first, second;
  ASSERT_TRUE(Call("k1", 7, &first).ok());
  ASSERT_TRUE(Call("k1", 7, &second).ok());
  EXPECT_EQ(first.after_seq(), 1);
  EXPECT_EQ(second.after_seq(), 1);  // the stored answer, not a new call
  EXPECT_EQ(Effects(), 1);
  EXPECT_EQ(calls_, 1);
}

TEST_P(IdempotencyTest, SameKeyDifferentRequestIsRefused) {
  events::v1::WatchEventsRequest response;
  ASSERT_TRUE(Call("k1", 7, &response).ok());
  absl::Status status = Call("k1", 8, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("k1"), std::string::npos);
  EXPECT_EQ(Effects(), 1);
}

TEST_P(IdempotencyTest, EmptyKeyAlwaysRuns) {
  events::v1::WatchEventsRequest response;
  ASSERT_TRUE(Call("", 7, &response).ok());
  ASSERT_TRUE(Call("", 7, &response).ok());
  EXPECT_EQ(Effects(), 2);
}

TEST_P(IdempotencyTest, FailedCallStoresNothingSoRetryRuns) {
  events::v1::ListEventsRequest request;
  events::v1::WatchEventsRequest response;
  EXPECT_FALSE(idempotency_
                   ->Run("Test/Do", "k", request, &response,
                         [](Session&) { return absl::UnavailableError("downstream down"); })
                   .ok());
  ASSERT_TRUE(Call("k", 0, &response).ok());
  EXPECT_EQ(Effects(), 1);
}

TEST_P(IdempotencyTest, ExpiredKeysRunAgain) {
  events::v1::WatchEventsRequest response;
  ASSERT_TRUE(Call("k1", 7, &response).ok());
  clock_.Advance(absl::Hours(48));
  EXPECT_EQ(*idempotency_->Expire(absl::Hours(24)), 1);
  ASSERT_TRUE(Call("k1", 7, &response).ok());
  EXPECT_EQ(Effects(), 2);
}

TEST_P(IdempotencyTest, SeenAnswersTheStoredResponseWithoutRunning) {
  events::v1::ListEventsRequest request;
  request.set_after_seq(7);
  events::v1::WatchEventsRequest response;
  EXPECT_FALSE(*idempotency_->Seen("Test/Do", "k1", request, &response));
  ASSERT_TRUE(Call("k1", 7, &response).ok());
  events::v1::WatchEventsRequest seen;
  EXPECT_TRUE(*idempotency_->Seen("Test/Do", "k1", request, &seen));
  EXPECT_EQ(seen.after_seq(), 1);
  EXPECT_FALSE(*idempotency_->Seen("Test/Other", "k1", request, &seen));  // per method
  EXPECT_FALSE(*idempotency_->Seen("Test/Do", "", request, &seen));       // no key: never
  request.set_after_seq(8);
  EXPECT_EQ(idempotency_->Seen("Test/Do", "k1", request, &seen).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Effects(), 1);
}

OMS_ON_EVERY_ENGINE(IdempotencyTest);

}  // namespace
}  // namespace oms
