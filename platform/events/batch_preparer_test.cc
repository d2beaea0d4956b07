#include "platform/events/batch_preparer.h"

#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "platform/storage/sqlite.h"

namespace oms {
namespace {

// Each attempt runs the handler it is given in a transaction, as a feed consumer does.
class RunPreparedTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = *SqliteDatabase::Open(":memory:"); }

  // A preparer that notes each call and hands out `answers[i]` as its i-th handler's answer.
  BatchPreparer Preparer(std::vector<absl::Status> answers) {
    auto calls = std::make_shared<size_t>(0);
    return [this, answers, calls](const std::vector<events::v1::Event>&,
                                  const absl::Status& failed) -> absl::StatusOr<EventHandler> {
      absl::Status answer = answers.at((*calls)++);
      prepared_.push_back(failed);
      return EventHandler([answer](Session&, const events::v1::Event&) { return answer; });
    };
  }

  absl::Status Run(const BatchPreparer& prepare) {
    return RunPrepared(prepare, batch_, [&](const EventHandler& handler) {
      ++attempts_;
      return db_->Transact([&](Session& s) { return handler(s, batch_.front()); });
    });
  }

  std::unique_ptr<Database> db_;
  std::vector<events::v1::Event> batch_{events::v1::Event()};
  std::vector<absl::Status> prepared_;  // the `failed` each preparation was given
  int attempts_ = 0;
};

TEST_F(RunPreparedTest, AHandlerThatAsksIsPreparedAgainWithItsAnswerAndTriedOnceMore) {
  absl::Status why = PrepareAgainError("order ord_1's customer is not known here");
  EXPECT_TRUE(Run(Preparer({why, absl::OkStatus()})).ok());
  ASSERT_EQ(prepared_.size(), 2u);
  EXPECT_TRUE(prepared_[0].ok());
  EXPECT_TRUE(IsPrepareAgain(prepared_[1]));
  EXPECT_EQ(prepared_[1].message(), why.message());
  EXPECT_EQ(attempts_, 2);
}

TEST_F(RunPreparedTest, AskingTwiceEndsTheRunWithTheSecondAnswer) {
  absl::Status answer =
      Run(Preparer({PrepareAgainError("first"), PrepareAgainError("second"), absl::OkStatus()}));
  EXPECT_TRUE(IsPrepareAgain(answer));
  EXPECT_EQ(answer.message(), "second");
  EXPECT_EQ(attempts_, 2);  // the caller retries later, as after any transient failure
}

TEST_F(RunPreparedTest, OtherAnswersAreNotPreparedAgain) {
  EXPECT_TRUE(Run(Preparer({absl::OkStatus()})).ok());
  EXPECT_EQ(attempts_, 1);
  // A plain UNAVAILABLE (a peer down inside the handler) is a failure like any other.
  EXPECT_EQ(Run(Preparer({absl::UnavailableError("down")})).message(), "down");
  EXPECT_EQ(attempts_, 2);
  EXPECT_EQ(prepared_.size(), 2u);  // once per run
}

TEST_F(RunPreparedTest, APreparationThatFailsIsTheAnswerWithoutAnAttempt) {
  BatchPreparer failing = [](const std::vector<events::v1::Event>&,
                             const absl::Status&) -> absl::StatusOr<EventHandler> {
    return absl::UnavailableError("order_svc is down");
  };
  EXPECT_EQ(Run(failing).message(), "order_svc is down");
  EXPECT_EQ(attempts_, 0);
}

TEST(PrepareAgainErrorTest, IsUnavailableAndRecognisedOnlyWhenMadeByIt) {
  absl::Status asked = PrepareAgainError("why");
  EXPECT_TRUE(absl::IsUnavailable(asked));
  EXPECT_TRUE(IsPrepareAgain(asked));
  EXPECT_FALSE(IsPrepareAgain(absl::UnavailableError("why")));
  EXPECT_FALSE(IsPrepareAgain(absl::OkStatus()));
}

}  // namespace
}  // namespace oms
