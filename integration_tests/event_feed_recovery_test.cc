// The event feed of a real order_svc: replay in order after SIGKILL, and a consumer that
// was down catches up with no gaps and no duplicates.
#include <set>

#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/base/status.h"
#include "platform/events/feed_consumer.h"
#include "platform/events/feed_cursors.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

class EventFeedRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(order_svc_.Start()));
    sink_ = *SqliteDatabase::Open(dir_.File("consumer.db"));
    ASSERT_TRUE(sink_->Migrate("feed_cursors", FeedCursorMigrations()).ok());
    // PRIMARY KEY on seq: applying an event twice would fail the consumer's transaction.
    ASSERT_TRUE(sink_
                    ->Migrate("sink", {"CREATE TABLE applied (seq INTEGER PRIMARY KEY,"
                                       " type TEXT, order_id TEXT)"})
                    .ok());
  }

  void CreateOrders(int from, int to) {
    auto stub = order::v1::OrderService::NewStub(order_svc_.NewChannel());
    for (int i = from; i < to; ++i) {
      grpc::ClientContext context;
      order::v1::Order order;
      ASSERT_TRUE(
          stub->CreateOrder(&context, order::SampleCreateOrder("WEB-" + std::to_string(i)), &order)
              .ok());
      grpc::ClientContext cancel_context;
      order::v1::CancelOrderRequest cancel;
      cancel.set_order_id(order.order_id());
      cancel.set_reason("test");
      if (i % 2 == 0) {
        ASSERT_TRUE(stub->CancelOrder(&cancel_context, cancel, &order).ok());
      }
    }
  }

  std::vector<events::v1::Event> ListAll() {
    auto feed = events::v1::EventFeed::NewStub(order_svc_.NewChannel());
    grpc::ClientContext context;
    events::v1::ListEventsRequest request;
    request.set_limit(1000);
    events::v1::ListEventsResponse response;
    EXPECT_TRUE(feed->ListEvents(&context, request, &response).ok());
    return {response.events().begin(), response.events().end()};
  }

  std::unique_ptr<FeedConsumer> Consumer(events::v1::EventFeed::StubInterface* feed) {
    FeedConsumer::Options options;
    options.batch_size = 4;
    return std::make_unique<FeedConsumer>(
        sink_.get(), "order_svc", feed,
        [](Session& s, const events::v1::Event& e) {
          return s
              .Exec("INSERT INTO applied(seq, type, order_id) VALUES(?, ?, ?)",
                    {e.seq(), e.type(), e.aggregate_id()})
              .status();
        },
        options);
  }

  std::vector<int64_t> AppliedSeqs() {
    std::vector<int64_t> seqs;
    EXPECT_TRUE(sink_
                    ->Read([&](Session& s) {
                      return s.ForEachRow("SELECT seq FROM applied ORDER BY seq", {},
                                          [&](const Rows& r) {
                                            seqs.push_back(r.Int(0));
                                            return absl::OkStatus();
                                          });
                    })
                    .ok());
    return seqs;
  }

  testing::TempDir dir_;
  ServiceProcess order_svc_{"order_svc", dir_.path()};
  std::unique_ptr<Database> sink_;
};

TEST_F(EventFeedRecoveryTest, FeedReplaysEveryEventInOrderAfterSigkill) {
  CreateOrders(0, 6);  // 6 OrderCreated + 3 x (OrderStatusChanged, OrderCancelled)
  std::vector<events::v1::Event> before = ListAll();
  ASSERT_EQ(before.size(), 12u);
  order_svc_.Kill();
  ASSERT_TRUE(Started(order_svc_.Start()));
  std::vector<events::v1::Event> after = ListAll();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].seq(), static_cast<int64_t>(i + 1));
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString());
  }
  EXPECT_EQ(after[0].type(), "OrderCreated");
  EXPECT_EQ(after[1].type(), "OrderStatusChanged");
  EXPECT_EQ(after[2].type(), "OrderCancelled");
}

TEST_F(EventFeedRecoveryTest, ConsumerThatWasDownCatchesUpWithoutGapsOrDuplicates) {
  CreateOrders(0, 5);
  {
    auto feed = events::v1::EventFeed::NewStub(order_svc_.NewChannel());
    auto consumer = Consumer(feed.get());
    absl::StatusOr<int64_t> applied = consumer->PollOnce();
    ASSERT_TRUE(applied.ok()) << applied.status();
  }                     // the consumer goes down
  CreateOrders(5, 12);  // events it misses while down
  order_svc_.Kill();    // and the source crashes too
  ASSERT_TRUE(Started(order_svc_.Start()));
  CreateOrders(12, 15);

  auto feed = events::v1::EventFeed::NewStub(order_svc_.NewChannel());
  auto consumer = Consumer(feed.get());
  ASSERT_TRUE(consumer->PollOnce().ok());
  ASSERT_TRUE(consumer->PollOnce().ok());  // a second pass finds nothing new
  std::vector<int64_t> seqs = AppliedSeqs();
  std::vector<events::v1::Event> all = ListAll();
  ASSERT_EQ(seqs.size(), all.size());
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i + 1));
  EXPECT_EQ(*consumer->Cursor(), static_cast<int64_t>(all.size()));
}

TEST_F(EventFeedRecoveryTest, LiveConsumerResumesAfterSourceRestart) {
  auto feed = events::v1::EventFeed::NewStub(order_svc_.NewChannel());
  auto consumer = Consumer(feed.get());
  consumer->Start();
  CreateOrders(0, 3);
  // Bounded wait on the consumer's own progress, not on time.
  auto wait_for = [&](int64_t seq) {
    absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (*consumer->Cursor() < seq && absl::Now() < give_up)
      absl::SleepFor(absl::Milliseconds(5));
    return *consumer->Cursor();
  };
  EXPECT_EQ(wait_for(7), 7);  // 3 OrderCreated + 2 cancels of 2 events each
  order_svc_.Kill();
  ASSERT_TRUE(Started(order_svc_.Start()));  // same port: the consumer reconnects by itself
  CreateOrders(3, 5);                        // 2 OrderCreated + 1 cancel
  EXPECT_EQ(wait_for(11), 11);
  consumer->Stop();
  std::vector<int64_t> seqs = AppliedSeqs();
  ASSERT_EQ(seqs.size(), 11u);
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i + 1));
}

}  // namespace
}  // namespace oms::integration
