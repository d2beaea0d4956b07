// feed_fanout: what serving one service's event feed to its followers costs, per event.
// Each outbox in the suite has two or three WatchEvents followers with different type
// filters (analytics most types, notify and the orchestrator a few each). This publishes
// events of two types, one per commit at a steady rate, to such watchers on an in-process
// EventFeedService (the services' own server, outbox and store) and prints the process's CPU
// per event, less the publisher's own (its commits), so what is left is reading the feed,
// sending it and receiving it. --batches=false watches event by event (WatchEvents), as
// external readers do. Compare builds or modes by running each, alternately.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "oms/common/v1/common.pb.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/event_feed_service.h"
#include "platform/events/outbox.h"
#include "platform/server/grpc_server.h"
#include "platform/storage/commit_signal.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/temp_dir.h"
#include "tools/bench/cpu_time.h"

ABSL_FLAG(int, events, 20000, "events to publish, one per commit");
ABSL_FLAG(int, rate, 1000, "commits per second");
ABSL_FLAG(bool, batches, true,
          "watch with WatchEventBatches, as the suite's followers do; false: WatchEvents");
ABSL_FLAG(absl::Duration, linger, absl::Milliseconds(25), "the feed's linger (--feed_linger)");

namespace {

// Event i (from 1) is a Money when odd, a GetServiceInfoRequest when even.
bool IsMoney(int64_t seq) { return seq % 2 == 1; }

// Reads `reader` until the last event it follows has arrived; answers how many came.
template <typename Message>
int64_t ReadUntil(grpc::ClientContext& context, grpc::ClientReader<Message>& reader,
                  int64_t last_wanted) {
  Message message;
  int64_t received = 0;
  bool done = false;
  while (!done && reader.Read(&message)) {
    if constexpr (std::is_same_v<Message, oms::events::v1::Event>) {
      ++received;
      done = message.seq() >= last_wanted;
    } else {
      received += message.events_size();
      done = message.events(message.events_size() - 1).seq() >= last_wanted;
    }
  }
  context.TryCancel();
  while (reader.Read(&message)) {
  }
  reader.Finish();
  return received;
}

int64_t Follow(oms::events::v1::EventFeed::Stub* stub, const std::vector<std::string>& types,
               int64_t last_wanted) {
  grpc::ClientContext context;
  oms::events::v1::WatchEventsRequest request;
  for (const std::string& type : types) request.add_types(type);
  if (absl::GetFlag(FLAGS_batches)) {
    return ReadUntil(context, *stub->WatchEventBatches(&context, request), last_wanted);
  }
  return ReadUntil(context, *stub->WatchEvents(&context, request), last_wanted);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int64_t events = absl::GetFlag(FLAGS_events);
  const absl::Duration interval = absl::Seconds(1) / absl::GetFlag(FLAGS_rate);
  oms::testing::TempDir dir;
  oms::DatabaseOptions options;
  options.durable_commits = false;  // the publisher's cost is taken out anyway
  std::unique_ptr<oms::Database> db = *oms::SqliteDatabase::Open(dir.File("feed.db"), options);
  if (!db->Migrate("outbox", oms::Outbox::Migrations()).ok()) return 1;
  const oms::Clock* clock = oms::Clock::Real();
  oms::IdGenerator ids(clock);
  oms::CommitSignal commits(db.get());
  oms::Outbox outbox(db.get(), "bench_svc", clock, &ids, &commits);
  oms::EventFeedService feed(&outbox, absl::GetFlag(FLAGS_linger));
  oms::GrpcServer server({});
  server.AddService(&feed, "oms.events.v1.EventFeed");
  server.AddShutdownHook([&commits] { commits.Close(); });
  if (!server.Start().ok()) return 1;
  auto stub = oms::events::v1::EventFeed::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server.port()), grpc::InsecureChannelCredentials()));

  // Like order_svc's followers: one takes both types, two take one each.
  const int64_t last_money = IsMoney(events) ? events : events - 1;
  const int64_t last_other = IsMoney(events) ? events - 1 : events;
  struct Watcher {
    std::vector<std::string> types;
    int64_t last_wanted;
    int64_t received = 0;
  };
  std::vector<Watcher> watchers = {{{"Money", "GetServiceInfoRequest"}, events},
                                   {{"Money"}, last_money},
                                   {{"GetServiceInfoRequest"}, last_other}};
  const double cpu_before = oms::bench::ProcessCpuSeconds();
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (Watcher& watcher : watchers) {
    threads.emplace_back([&stub, &watcher] {
      watcher.received = Follow(stub.get(), watcher.types, watcher.last_wanted);
    });
  }
  double publisher_cpu = 0;
  std::thread publisher([&] {
    const double own_before = oms::bench::ThreadCpuSeconds();
    for (int64_t seq = 1; seq <= events; ++seq) {
      absl::SleepFor(start + interval * seq - absl::Now());
      absl::Status appended = db->Transact([&](oms::Session& s) {
        return IsMoney(seq)
                   ? outbox.Append(s, "agg", oms::common::v1::Money()).status()
                   : outbox.Append(s, "agg", oms::common::v1::GetServiceInfoRequest()).status();
      });
      if (!appended.ok()) std::cerr << appended << "\n";
    }
    publisher_cpu = oms::bench::ThreadCpuSeconds() - own_before;
  });
  publisher.join();
  for (std::thread& thread : threads) thread.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const double feed_cpu = oms::bench::ProcessCpuSeconds() - cpu_before - publisher_cpu;
  int64_t delivered = 0;
  for (const Watcher& watcher : watchers) delivered += watcher.received;
  std::cout << absl::StrFormat(
      "%d events, one per commit, %d watchers (%d events delivered, %s) in %.1f s: %.1f us CPU per "
      "event for the feed (process less publisher), publisher %.1f us per commit\n",
      events, watchers.size(), delivered,
      absl::GetFlag(FLAGS_batches) ? "WatchEventBatches" : "WatchEvents", seconds,
      feed_cpu * 1e6 / events, publisher_cpu * 1e6 / events);
  server.Shutdown();
  return delivered == events * 2 ? 0 : 1;
}
