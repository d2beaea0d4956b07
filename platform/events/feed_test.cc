// EventFeedService and FeedConsumer together over a real in-process gRPC server.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/status.h"
#include "platform/events/event_feed_service.h"
#include "platform/events/feed_consumer.h"
#include "platform/events/feed_cursors.h"
#include "platform/server/grpc_server.h"
#include "platform/storage/sqlite.h"

namespace oms {
namespace {

class FeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_db_ = *SqliteDatabase::Open(":memory:");
    ASSERT_TRUE(source_db_->Migrate("outbox", Outbox::Migrations()).ok());
    commits_ = std::make_unique<CommitSignal>(source_db_.get());
    outbox_ = std::make_unique<Outbox>(source_db_.get(), "src_svc", &clock_, &ids_, commits_.get());
    feed_service_ = std::make_unique<EventFeedService>(outbox_.get(), linger_);
    server_ = std::make_unique<GrpcServer>(GrpcServerOptions());
    server_->AddService(feed_service_.get(), "oms.events.v1.EventFeed");
    server_->AddShutdownHook([this] { commits_->Close(); });
    ASSERT_TRUE(server_->Start().ok());
    stub_ = events::v1::EventFeed::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));

    sink_db_ = *SqliteDatabase::Open(":memory:");
    ASSERT_TRUE(sink_db_->Migrate("feed_cursors", FeedCursorMigrations()).ok());
    ASSERT_TRUE(sink_db_
                    ->Migrate("sink", {"CREATE TABLE seen (seq INTEGER PRIMARY KEY, "
                                       "units INTEGER)"})
                    .ok());
  }

  void Publish(int count) {
    ASSERT_TRUE(source_db_
                    ->Transact([&](Session& s) -> absl::Status {
                      for (int i = 0; i < count; ++i) {
                        common::v1::Money m;
                        m.set_minor_units(++published_);
                        OMS_RETURN_IF_ERROR(outbox_->Append(s, "agg", m).status());
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  // An event of another type than Publish's (Money), between them.
  void PublishOther() {
    ASSERT_TRUE(
        source_db_
            ->Transact([&](Session& s) {
              return outbox_->Append(s, "agg", common::v1::GetServiceInfoRequest()).status();
            })
            .ok());
  }

  std::unique_ptr<FeedConsumer> MakeConsumer(std::vector<std::string> types = {},
                                             events::v1::EventFeed::StubInterface* feed = nullptr) {
    FeedConsumer::Options options;
    options.types = std::move(types);
    options.batch_size = 7;  // several pages per poll
    options.clock = &clock_;
    options.cursor_flush_events = flush_events_;
    options.durability = durability_;
    options.prepare = prepare_;
    return std::make_unique<FeedConsumer>(
        sink_db_.get(), "src_svc", feed != nullptr ? feed : stub_.get(),
        [this](Session& s, const events::v1::Event& e) -> absl::Status {
          ++handled_;
          applied_in_ = s.durability();
          if (!write_) return absl::OkStatus();  // an event this sink has nothing to do for
          if (fail_next_) {
            fail_next_ = false;
            return absl::UnavailableError("sink busy");
          }
          common::v1::Money m;
          if (!e.payload().UnpackTo(&m)) return absl::InvalidArgumentError("not Money");
          // PRIMARY KEY on seq: applying an event twice would fail here.
          return s.Exec("INSERT INTO seen(seq, units) VALUES(?, ?)", {e.seq(), m.minor_units()})
              .status();
        },
        options);
  }

  int64_t SeenCount() {
    int64_t n = 0;
    EXPECT_TRUE(sink_db_
                    ->Read([&](Session& s) {
                      return s.ForEachRow("SELECT COUNT(*) FROM seen", {}, [&](const Rows& r) {
                        n = r.Int(0);
                        return absl::OkStatus();
                      });
                    })
                    .ok());
    return n;
  }

  // The cursor as the sink's store holds it (the consumer may hold a newer one).
  int64_t StoredCursor() {
    int64_t cursor = 0;
    EXPECT_TRUE(sink_db_
                    ->Read([&](Session& s) {
                      return s.ForEachRow("SELECT last_seq FROM feed_cursors", {},
                                          [&](const Rows& r) {
                                            cursor = r.Int(0);
                                            return absl::OkStatus();
                                          });
                    })
                    .ok());
    return cursor;
  }

  void WaitForCursor(FeedConsumer& consumer, int64_t seq) {
    absl::Time give_up = absl::Now() + absl::Seconds(30);
    while (*consumer.Cursor() < seq && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    ASSERT_EQ(*consumer.Cursor(), seq);
  }

  absl::Duration linger_ = absl::ZeroDuration();  // the service's, as in production when set
  FakeClock clock_;
  IdGenerator ids_{&clock_};
  std::unique_ptr<Database> source_db_, sink_db_;
  std::unique_ptr<CommitSignal> commits_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<EventFeedService> feed_service_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<events::v1::EventFeed::Stub> stub_;
  int64_t published_ = 0;
  bool fail_next_ = false;
  std::atomic<bool> write_{true};  // false: the handler writes nothing
  std::atomic<int> handled_{0};    // handler calls
  int flush_events_ = 500;
  BatchPreparer prepare_;                         // the consumers' option (none: the handler above)
  Durability durability_ = Durability::kDurable;  // the consumers' option
  std::atomic<Durability> applied_in_{Durability::kDurable};  // the handler's last session
};

TEST_F(FeedTest, ListEventsPagesInOrderAndReportsLastSeq) {
  Publish(5);
  grpc::ClientContext context;
  events::v1::ListEventsRequest request;
  request.set_after_seq(1);
  request.set_limit(2);
  events::v1::ListEventsResponse response;
  ASSERT_TRUE(stub_->ListEvents(&context, request, &response).ok());
  ASSERT_EQ(response.events_size(), 2);
  EXPECT_EQ(response.events(0).seq(), 2);
  EXPECT_EQ(response.events(1).seq(), 3);
  EXPECT_EQ(response.last_seq(), 5);
}

TEST_F(FeedTest, ListEventsRejectsBadArguments) {
  grpc::ClientContext context;
  events::v1::ListEventsRequest request;
  request.set_after_seq(-1);
  request.set_limit(5000);
  events::v1::ListEventsResponse response;
  grpc::Status status = stub_->ListEvents(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("after_seq"), std::string::npos);
  EXPECT_NE(status.error_message().find("limit"), std::string::npos);
}

TEST_F(FeedTest, WatchReplaysThenFollowsLive) {
  Publish(3);
  grpc::ClientContext context;
  events::v1::WatchEventsRequest request;
  request.set_after_seq(1);
  auto reader = stub_->WatchEvents(&context, request);
  events::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), 2);
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), 3);
  Publish(1);  // committed after the watch started
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), 4);
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
}

// Production servers wait a little after a commit for more (--feed_linger): commits made
// while the watcher lingers arrive together, complete and in order.
class LingeringFeedTest : public FeedTest {
 protected:
  LingeringFeedTest() { linger_ = absl::Milliseconds(20); }
};

TEST_F(LingeringFeedTest, CommitsDuringTheLingerAllArriveInOrder) {
  grpc::ClientContext context;
  auto reader = stub_->WatchEvents(&context, events::v1::WatchEventsRequest());
  for (int i = 0; i < 5; ++i) Publish(1 + i % 2);  // 7 events in 5 commits
  events::v1::Event event;
  for (int seq = 1; seq <= 7; ++seq) {
    ASSERT_TRUE(reader->Read(&event));
    EXPECT_EQ(event.seq(), seq);
  }
  Publish(1);  // and a later one on its own
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), 8);
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
}

// Names of this process's threads now (the test's, gRPC's and the server's).
std::vector<std::string> ThreadNames() {
  std::vector<std::string> names;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name)) names.push_back(name);
  }
  return names;
}

TEST_F(FeedTest, ManyWatchersEachGetTheirEventsAndGoWhenCancelled) {
  constexpr int kWatchers = 32;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<events::v1::Event>>> readers;
  for (int i = 0; i < kWatchers; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    readers.push_back(stub_->WatchEvents(contexts.back().get(), events::v1::WatchEventsRequest()));
  }
  Publish(1);
  events::v1::Event event;
  for (auto& reader : readers) {
    ASSERT_TRUE(reader->Read(&event));
    EXPECT_EQ(event.seq(), 1);
  }
  EXPECT_EQ(feed_service_->open_watches(), kWatchers);

  for (auto& context : contexts) context->TryCancel();
  for (auto& reader : readers) {
    while (reader->Read(&event)) {
    }
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  // A waiting stream sees its caller's cancellation at its next check (kCancelCheckInterval).
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (feed_service_->open_watches() > 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_EQ(feed_service_->open_watches(), 0);
}

// gRPC 1.51 serves callback-API calls from two completion threads ("nexting_thread") that
// sleep 100 ms after each second without a completion; while they slept, calls to the server
// waited (every ~1.1 s, up to 100 ms, in a suite whose feeds were quiet). The feed streams
// therefore use the sync API, and nothing in a server with a feed should start those threads.
TEST_F(FeedTest, OpenWatchesStartNoCallbackCompletionThreads) {
  grpc::ClientContext context;
  auto reader = stub_->WatchEventBatches(&context, events::v1::WatchEventsRequest());
  Publish(1);
  events::v1::EventBatch batch;
  ASSERT_TRUE(reader->Read(&batch));
  for (const std::string& name : ThreadNames()) EXPECT_NE(name, "nexting_thread");
  context.TryCancel();
  while (reader->Read(&batch)) {
  }
  reader->Finish();
}

TEST_F(FeedTest, AReplayLongerThanABatchArrivesWholeAndInOrderThenFollows) {
  Publish(450);  // more than two of the server's batches of 200
  grpc::ClientContext context;
  auto reader = stub_->WatchEvents(&context, events::v1::WatchEventsRequest());
  events::v1::Event event;
  for (int seq = 1; seq <= 450; ++seq) {
    ASSERT_TRUE(reader->Read(&event));
    ASSERT_EQ(event.seq(), seq);
  }
  Publish(1);
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), 451);
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  reader->Finish();
}

// Streams of one feed are read for together: each still gets exactly the events it follows,
// and one replaying from far behind gets its replay whole while the others follow the tail.
TEST_F(FeedTest, WatchersOfDifferentTypesEachGetTheirsWithAReplayAmongThem) {
  auto watch = [&](grpc::ClientContext& context, std::vector<std::string> types) {
    events::v1::WatchEventsRequest request;
    for (std::string& type : types) request.add_types(std::move(type));
    return stub_->WatchEvents(&context, request);
  };
  auto expect_seqs = [](grpc::ClientReader<events::v1::Event>& reader, std::vector<int64_t> seqs) {
    events::v1::Event event;
    for (int64_t seq : seqs) {
      ASSERT_TRUE(reader.Read(&event));
      ASSERT_EQ(event.seq(), seq);
    }
  };
  auto stop = [](grpc::ClientContext& context, grpc::ClientReader<events::v1::Event>& reader) {
    context.TryCancel();
    events::v1::Event event;
    while (reader.Read(&event)) {
    }
    reader.Finish();
  };
  grpc::ClientContext all_context, money_context, other_context;
  auto all = watch(all_context, {});
  auto money = watch(money_context, {"Money"});
  auto other = watch(other_context, {"GetServiceInfoRequest"});
  Publish(2);      // 1, 2
  PublishOther();  // 3
  Publish(1);      // 4
  PublishOther();  // 5
  expect_seqs(*all, {1, 2, 3, 4, 5});
  expect_seqs(*money, {1, 2, 4});
  expect_seqs(*other, {3, 5});

  Publish(450);  // 6..455: more than two of the server's batches
  std::vector<int64_t> money_seqs;
  for (int64_t seq = 6; seq <= 455; ++seq) money_seqs.push_back(seq);
  expect_seqs(*all, money_seqs);
  expect_seqs(*money, money_seqs);
  grpc::ClientContext replay_context;
  auto replay = watch(replay_context, {"GetServiceInfoRequest"});  // from the start
  PublishOther();                                                  // 456
  expect_seqs(*all, {456});
  expect_seqs(*other, {456});
  expect_seqs(*replay, {3, 5, 456});
  Publish(1);  // 457
  expect_seqs(*money, {457});
  stop(all_context, *all);
  stop(money_context, *money);
  stop(other_context, *other);
  stop(replay_context, *replay);
}

// The suite's followers take what is ready in one message: a transaction's events arrive
// together, a replay in batches of at most 200, in order, then the stream follows.
TEST_F(FeedTest, BatchWatchesCarryWhatIsReadyTogetherInOrder) {
  Publish(450);
  grpc::ClientContext context;
  events::v1::WatchEventsRequest request;
  request.set_after_seq(3);
  auto reader = stub_->WatchEventBatches(&context, request);
  events::v1::EventBatch batch;
  int64_t next = 4;
  int batches = 0;
  while (next <= 450) {
    ASSERT_TRUE(reader->Read(&batch));
    ++batches;
    ASSERT_GT(batch.events_size(), 0);
    ASSERT_LE(batch.events_size(), 200);
    for (const events::v1::Event& event : batch.events()) ASSERT_EQ(event.seq(), next++);
  }
  EXPECT_LE(batches, 4);  // 447 events: not one message each
  Publish(3);             // one commit, live
  ASSERT_TRUE(reader->Read(&batch));
  ASSERT_EQ(batch.events_size(), 3);
  EXPECT_EQ(batch.events(0).seq(), 451);
  EXPECT_EQ(batch.events(2).seq(), 453);
  context.TryCancel();
  while (reader->Read(&batch)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(FeedTest, BatchWatchesRefuseBadCursorsAndEndAtShutdown) {
  {
    grpc::ClientContext context;
    events::v1::WatchEventsRequest request;
    request.set_after_seq(-1);
    auto reader = stub_->WatchEventBatches(&context, request);
    events::v1::EventBatch batch;
    EXPECT_FALSE(reader->Read(&batch));
    grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find("after_seq"), std::string::npos);
  }
  Publish(1);
  grpc::ClientContext context;
  auto reader = stub_->WatchEventBatches(&context, events::v1::WatchEventsRequest());
  events::v1::EventBatch batch;
  ASSERT_TRUE(reader->Read(&batch));
  server_->Shutdown();
  EXPECT_FALSE(reader->Read(&batch));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(feed_service_->open_watches(), 0);
}

// A source whose server predates WatchEventBatches: its EventFeed has only WatchEvents.
class PerEventFeed final : public events::v1::EventFeed::Service {
 public:
  explicit PerEventFeed(EventFeedService* feed) : feed_(feed) {}
  grpc::Status ListEvents(grpc::ServerContext* context,
                          const events::v1::ListEventsRequest* request,
                          events::v1::ListEventsResponse* response) override {
    return feed_->ListEvents(context, request, response);
  }
  grpc::Status WatchEvents(grpc::ServerContext* context,
                           const events::v1::WatchEventsRequest* request,
                           grpc::ServerWriter<events::v1::Event>* writer) override {
    return feed_->WatchEvents(context, request, writer);
  }

 private:
  EventFeedService* feed_;
};

TEST_F(FeedTest, AConsumerFollowsAnOlderServerEventByEvent) {
  PerEventFeed older(feed_service_.get());
  GrpcServer older_server{GrpcServerOptions()};
  older_server.AddService(&older, "oms.events.v1.EventFeed");
  ASSERT_TRUE(older_server.Start().ok());
  auto older_stub = events::v1::EventFeed::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(older_server.port()), grpc::InsecureChannelCredentials()));
  Publish(3);
  auto consumer = MakeConsumer({}, older_stub.get());
  consumer->Start();
  Publish(2);
  WaitForCursor(*consumer, 5);
  consumer->Stop();
  EXPECT_EQ(SeenCount(), 5);
  older_server.Shutdown();
}

// The same source after an upgrade in place: both RPCs, counting the batched watches opened.
class UpgradedFeed final : public events::v1::EventFeed::Service {
 public:
  explicit UpgradedFeed(EventFeedService* feed) : feed_(feed) {}
  grpc::Status WatchEvents(grpc::ServerContext* context,
                           const events::v1::WatchEventsRequest* request,
                           grpc::ServerWriter<events::v1::Event>* writer) override {
    return feed_->WatchEvents(context, request, writer);
  }
  grpc::Status WatchEventBatches(grpc::ServerContext* context,
                                 const events::v1::WatchEventsRequest* request,
                                 grpc::ServerWriter<events::v1::EventBatch>* writer) override {
    ++batched_watches;
    return feed_->WatchEventBatches(context, request, writer);
  }
  std::atomic<int> batched_watches{0};

 private:
  EventFeedService* feed_;
};

TEST_F(FeedTest, AConsumerFollowsInBatchesOnceItsOlderSourceIsUpgradedInPlace) {
  PerEventFeed older(feed_service_.get());
  auto older_server = std::make_unique<GrpcServer>(GrpcServerOptions());
  older_server->AddService(&older, "oms.events.v1.EventFeed");
  ASSERT_TRUE(older_server->Start().ok());
  const std::string address = "127.0.0.1:" + std::to_string(older_server->port());
  auto stub = events::v1::EventFeed::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  auto consumer = MakeConsumer({}, stub.get());
  consumer->Start();
  Publish(2);
  WaitForCursor(*consumer, 2);
  older_server->Shutdown();  // the upgrade: the old binary stops, the new one takes its port
  UpgradedFeed upgraded(feed_service_.get());
  GrpcServerOptions same_port;
  same_port.listen_address = address;
  GrpcServer upgraded_server{same_port};
  upgraded_server.AddService(&upgraded, "oms.events.v1.EventFeed");
  ASSERT_TRUE(upgraded_server.Start().ok());
  Publish(3);
  WaitForCursor(*consumer, 5);
  consumer->Stop();
  EXPECT_EQ(SeenCount(), 5);
  // Without asking again after a reconnect, the consumer stayed on WatchEvents until restarted.
  EXPECT_GE(upgraded.batched_watches.load(), 1);
  upgraded_server.Shutdown();
}

TEST_F(FeedTest, ShutdownEndsOpenWatchesWithUnavailable) {
  Publish(1);
  grpc::ClientContext context;
  auto reader = stub_->WatchEvents(&context, events::v1::WatchEventsRequest());
  events::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  server_->Shutdown();  // returns only once the stream has ended
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(feed_service_->open_watches(), 0);
}

TEST_F(FeedTest, ConsumerAppliesEachEventExactlyOnceAcrossRestarts) {
  Publish(20);
  {
    auto consumer = MakeConsumer();
    EXPECT_EQ(*consumer->PollOnce(), 20);
    EXPECT_EQ(*consumer->PollOnce(), 0);  // nothing new, nothing twice
  }
  Publish(10);  // while the consumer is "down"
  auto consumer = MakeConsumer();
  EXPECT_EQ(*consumer->Cursor(), 20);
  EXPECT_EQ(*consumer->PollOnce(), 10);
  EXPECT_EQ(SeenCount(), 30);
  EXPECT_EQ(*consumer->Cursor(), 30);
}

TEST_F(FeedTest, ConsumerOfSomeTypesSeesOnlyThoseLiveAndPolled) {
  Publish(2);
  PublishOther();
  Publish(1);
  auto consumer = MakeConsumer({"Money"});  // the handler fails on anything but Money
  EXPECT_EQ(*consumer->PollOnce(), 3);
  EXPECT_EQ(*consumer->Cursor(), 4);  // the Money event after the other one
  consumer->Start();
  PublishOther();
  Publish(2);  // seqs 6 and 7
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (*consumer->Cursor() < 7 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  consumer->Stop();
  EXPECT_EQ(*consumer->Cursor(), 7);
  EXPECT_EQ(SeenCount(), 5);
}

TEST_F(FeedTest, AReplayableConsumerAppliesItsBatchesInReplayableTransactions) {
  Publish(3);
  durability_ = Durability::kReplayable;
  auto consumer = MakeConsumer();
  EXPECT_EQ(*consumer->PollOnce(), 3);
  EXPECT_EQ(applied_in_.load(), Durability::kReplayable);
  EXPECT_EQ(StoredCursor(), 3);  // with the facts, in the same commit
  EXPECT_EQ(SeenCount(), 3);
  Publish(1);
  durability_ = Durability::kDurable;  // the default
  EXPECT_EQ(*MakeConsumer()->PollOnce(), 1);
  EXPECT_EQ(applied_in_.load(), Durability::kDurable);
}

TEST_F(FeedTest, HandlerFailureRollsBackEventAndCursor) {
  Publish(3);
  auto consumer = MakeConsumer();
  fail_next_ = true;
  EXPECT_EQ(consumer->PollOnce().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*consumer->Cursor(), 0);
  EXPECT_EQ(*consumer->PollOnce(), 3);
  EXPECT_EQ(SeenCount(), 3);
}

// A handler that needs an answer from outside the store asks for its batch to be prepared
// again: the preparer fetches it outside the transaction and the batch is applied in the
// same poll, with no wait for the consumer's backoff.
TEST_F(FeedTest, AHandlerAskingForPreparationIsPreparedAgainAndAppliedInTheSamePoll) {
  Publish(3);
  std::vector<absl::Status> prepared;  // what each preparation was given
  prepare_ = [&](const std::vector<events::v1::Event>& batch,
                 const absl::Status& failed) -> absl::StatusOr<EventHandler> {
    prepared.push_back(failed);
    bool fetched = IsPrepareAgain(failed);  // the second time round it has the answer
    return EventHandler([fetched](Session& s, const events::v1::Event& e) -> absl::Status {
      if (!fetched) return PrepareAgainError("needs an answer from another service");
      return s.Exec("INSERT INTO seen(seq, units) VALUES(?, 0)", {e.seq()}).status();
    });
  };
  auto consumer = MakeConsumer();
  EXPECT_EQ(*consumer->PollOnce(), 3);
  EXPECT_EQ(SeenCount(), 3);
  ASSERT_EQ(prepared.size(), 2u);  // one batch (batch_size 7), prepared twice
  EXPECT_TRUE(prepared[0].ok());
  EXPECT_TRUE(IsPrepareAgain(prepared[1]));
}

// Asking again after the second preparation fails the batch like any transient error: no
// loop inside one poll, nothing applied, the next poll starts afresh.
TEST_F(FeedTest, AHandlerThatStillAsksAfterItsPreparationFailsTheBatchUntilTheNextPoll) {
  Publish(2);
  int preparations = 0;
  bool answered = false;
  prepare_ = [&](const std::vector<events::v1::Event>&,
                 const absl::Status&) -> absl::StatusOr<EventHandler> {
    ++preparations;
    return EventHandler([&](Session& s, const events::v1::Event& e) -> absl::Status {
      if (!answered) return PrepareAgainError("the other service has no answer yet");
      return s.Exec("INSERT INTO seen(seq, units) VALUES(?, 0)", {e.seq()}).status();
    });
  };
  auto consumer = MakeConsumer();
  EXPECT_EQ(consumer->PollOnce().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(preparations, 2);
  EXPECT_EQ(*consumer->Cursor(), 0);
  EXPECT_EQ(SeenCount(), 0);
  answered = true;
  EXPECT_EQ(*consumer->PollOnce(), 2);
  EXPECT_EQ(SeenCount(), 2);
}

TEST_F(FeedTest, BackgroundConsumerFollowsLiveEvents) {
  Publish(4);
  auto consumer = MakeConsumer();
  consumer->Start();
  Publish(4);
  // Wait for the consumer by watching its cursor (bounded; no fixed sleep).
  absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (*consumer->Cursor() < 8 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  consumer->Stop();
  EXPECT_EQ(*consumer->Cursor(), 8);
  EXPECT_EQ(SeenCount(), 8);
}

// Events that change nothing here do not each commit a cursor (and its fsync): the cursor
// waits in memory for the next batch that writes, and nothing is applied twice meanwhile.
TEST_F(FeedTest, ACursorMovedOnlyByEventsWithoutEffectWaitsForTheNextWrite) {
  auto consumer = MakeConsumer();
  consumer->Start();
  write_ = false;
  Publish(3);
  WaitForCursor(*consumer, 3);
  EXPECT_EQ(StoredCursor(), 0);
  write_ = true;
  Publish(1);
  WaitForCursor(*consumer, 4);
  EXPECT_EQ(StoredCursor(), 4);  // written with the event that changed something
  EXPECT_EQ(handled_, 4);        // and the first three were not applied again
  EXPECT_EQ(SeenCount(), 1);
  write_ = false;
  Publish(2);
  WaitForCursor(*consumer, 6);
  consumer->Stop();  // writes what it held
  EXPECT_EQ(StoredCursor(), 6);
}

TEST_F(FeedTest, AHeldCursorIsWrittenAfterEnoughEventsOrTimeOrOnRequest) {
  flush_events_ = 5;
  write_ = false;
  auto consumer = MakeConsumer();
  consumer->Start();
  Publish(3);
  WaitForCursor(*consumer, 3);
  EXPECT_EQ(StoredCursor(), 0);
  Publish(2);
  WaitForCursor(*consumer, 5);
  EXPECT_EQ(StoredCursor(), 5);  // five held events: written
  Publish(1);
  WaitForCursor(*consumer, 6);
  EXPECT_EQ(StoredCursor(), 5);
  clock_.Advance(absl::Seconds(6));  // longer than cursor_flush_interval
  Publish(1);
  WaitForCursor(*consumer, 7);
  EXPECT_EQ(StoredCursor(), 7);
  Publish(1);
  WaitForCursor(*consumer, 8);
  EXPECT_TRUE(consumer->FlushCursor().ok());
  EXPECT_EQ(StoredCursor(), 8);
  consumer->Stop();
}

// A crash loses only the held cursor: those events are applied again, changing nothing.
TEST_F(FeedTest, AfterACrashTheHeldEventsAreAppliedAgainAndAMovedStoreWins) {
  write_ = false;
  auto first = MakeConsumer();
  first->Start();
  Publish(3);
  WaitForCursor(*first, 3);
  auto second = MakeConsumer();  // as if the first had died without writing its cursor
  EXPECT_EQ(*second->Cursor(), 0);
  EXPECT_EQ(*second->PollOnce(), 3);
  EXPECT_EQ(handled_, 6);
  // The store's cursor moves under the first (another replica; a rebuild): it starts there.
  ASSERT_TRUE(sink_db_
                  ->Transact([](Session& s) {
                    return s.Exec("INSERT INTO feed_cursors(source, last_seq) VALUES('src_svc', 1)")
                        .status();
                  })
                  .ok());
  EXPECT_EQ(*first->Cursor(), 1);
  first->Stop();
  EXPECT_EQ(StoredCursor(), 1);  // nothing held is written over it
  // PollOnce starts from the store even when the store says what this consumer saw last.
  ASSERT_TRUE(
      sink_db_->Transact([](Session& s) { return s.Exec("DELETE FROM feed_cursors").status(); })
          .ok());
  EXPECT_EQ(*second->PollOnce(), 3);
}

}  // namespace
}  // namespace oms
