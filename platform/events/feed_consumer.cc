#include "platform/events/feed_consumer.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "platform/base/background_thread.h"
#include "platform/base/grpc_status.h"
#include "platform/base/log.h"
#include "platform/base/status.h"
#include "platform/security/client_channel.h"
#include "platform/tracing/tracer.h"

namespace oms {
namespace {

absl::StatusOr<int64_t> ReadCursor(Session& session, const std::string& source) {
  int64_t cursor = 0;
  OMS_RETURN_IF_ERROR(session.ForEachRow("SELECT last_seq FROM feed_cursors WHERE source = ?",
                                         {source}, [&](const Rows& row) {
                                           cursor = row.Int(0);
                                           return absl::OkStatus();
                                         }));
  return cursor;
}

absl::Status WriteCursor(Session& session, const std::string& source, int64_t cursor) {
  return session
      .Exec(
          "INSERT INTO feed_cursors(source, last_seq) VALUES(?, ?) "
          "ON CONFLICT(source) DO UPDATE SET last_seq = excluded.last_seq",
          {source, cursor})
      .status();
}

// What one message of a watch carries, appended in order.
void AppendEvents(events::v1::Event& event, std::vector<events::v1::Event>& got) {
  got.push_back(std::move(event));
}
void AppendEvents(events::v1::EventBatch& batch, std::vector<events::v1::Event>& got) {
  for (events::v1::Event& event : *batch.mutable_events()) got.push_back(std::move(event));
}

// Hands `follow` a reader of the stream's events (WatchEvents' or WatchEventBatches'
// messages alike) and answers how the server ended the stream.
template <typename Message, typename Follow>
grpc::Status FollowStream(grpc::ClientReaderInterface<Message>& reader, Follow follow) {
  Message message;
  follow([&](std::vector<events::v1::Event>& got) {
    if (!reader.Read(&message)) return false;
    AppendEvents(message, got);
    return true;
  });
  return reader.Finish();
}

}  // namespace

FeedConsumer::FeedConsumer(Database* db, std::string source,
                           events::v1::EventFeed::StubInterface* feed, Handler handler,
                           Options options)
    : db_(db), source_(std::move(source)), feed_(feed), options_(options) {
  if (options_.clock == nullptr) options_.clock = Clock::Real();
  if (!options_.prepare) {  // every batch gets the one handler
    options_.prepare = [handler = std::move(handler)](
                           const std::vector<events::v1::Event>&,
                           const absl::Status&) -> absl::StatusOr<Handler> { return handler; };
  }
  metrics_ = metrics::Registry::Global().AddCollector(
      [this](metrics::Sample& sample) { CollectMetrics(sample); });
}

FeedConsumer::~FeedConsumer() { Stop(); }

std::unique_ptr<FeedConsumer> FeedConsumer::Connect(Database* db, std::string source,
                                                    const std::string& address, Handler handler,
                                                    Options options) {
  std::unique_ptr<events::v1::EventFeed::StubInterface> stub =
      events::v1::EventFeed::NewStub(PeerChannel(address));
  auto consumer = std::make_unique<FeedConsumer>(db, std::move(source), stub.get(),
                                                 std::move(handler), options);
  consumer->owned_feed_ = std::move(stub);
  return consumer;
}

absl::StatusOr<int64_t> FeedConsumer::Cursor() {
  int64_t stored = 0;
  OMS_RETURN_IF_ERROR(db_->Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(stored, ReadCursor(s, source_));
    return absl::OkStatus();
  }));
  absl::MutexLock lock(&apply_mu_);
  return StartingCursor(stored);
}

int64_t FeedConsumer::StartingCursor(int64_t stored) const {
  return stored == stored_cursor_ ? std::max(stored, held_cursor_) : stored;
}

bool FeedConsumer::FlushDue(int64_t more_events) const {
  if (held_events_ + more_events >= options_.cursor_flush_events) return true;
  return held_events_ > 0 && options_.clock->Now() - held_since_ >= options_.cursor_flush_interval;
}

void FeedConsumer::NoteCursor(int64_t stored, int64_t applied_through, int64_t events,
                              bool written) {
  if (stored != stored_cursor_) held_events_ = 0;  // the store moved: what was held is void
  stored_cursor_ = written ? applied_through : stored;
  held_cursor_ = applied_through;
  if (written) {
    held_events_ = 0;
  } else if (events > 0) {
    if (held_events_ == 0) held_since_ = options_.clock->Now();
    held_events_ += events;
  }
}

absl::StatusOr<int64_t> FeedConsumer::ApplyBatch(const std::vector<events::v1::Event>& events) {
  absl::MutexLock lock(&apply_mu_);
  int64_t applied = 0, stored = 0, cursor = 0;
  bool written = false;
  OMS_RETURN_IF_ERROR(RunPrepared(options_.prepare, events, [&](const Handler& handler) {
    return db_->Transact(
        [&](Session& s) -> absl::Status {
          applied = 0;
          written = false;
          OMS_ASSIGN_OR_RETURN(stored, ReadCursor(s, source_));
          cursor = StartingCursor(stored);
          for (const events::v1::Event& event : events) {
            // Holes in seq are normal (other types, rolled-back PostgreSQL transactions);
            // events deleted before this consumer read them make the source answer DATA_LOSS.
            if (event.seq() <= cursor) continue;  // redelivery: already applied
            OMS_RETURN_IF_ERROR(ApplyInTrace(handler, s, event));
            cursor = event.seq();
            ++applied;
          }
          if (applied == 0) return absl::OkStatus();
          // A cursor alone is not worth a commit (and its fsync): it waits for one that is.
          if (!s.HasChanges() && !FlushDue(applied)) return absl::OkStatus();
          written = true;
          return WriteCursor(s, source_, cursor);
        },
        options_.durability);
  }));
  NoteCursor(stored, cursor, applied, written);
  NoteApplied(events);
  return applied;
}

absl::Status FeedConsumer::FlushCursor() {
  absl::MutexLock lock(&apply_mu_);
  if (held_events_ == 0) return absl::OkStatus();
  int64_t stored = 0;
  bool written = false;
  OMS_RETURN_IF_ERROR(db_->Transact(
      [&](Session& s) -> absl::Status {
        written = false;
        OMS_ASSIGN_OR_RETURN(stored, ReadCursor(s, source_));
        if (stored != stored_cursor_) return absl::OkStatus();  // moved since: the store wins
        written = true;
        return WriteCursor(s, source_, held_cursor_);
      },
      options_.durability));
  NoteCursor(stored, written ? held_cursor_ : stored, 0, written);
  return absl::OkStatus();
}

absl::Status FeedConsumer::ApplyInTrace(const Handler& handler, Session& s,
                                        const events::v1::Event& event) {
  std::optional<tracing::TraceContext> writer = tracing::ParseTraceparent(event.traceparent());
  if (!writer.has_value()) return handler(s, event);
  // A CONSUMER span, child of the span that wrote the event; calls the handler makes and
  // events it writes carry the trace on.
  tracing::ScopedSpan span(absl::StrCat("apply ", event.type()), tracing::Span::Kind::kConsumer,
                           &*writer);
  span.AddAttribute("messaging.source.name", source_);
  span.AddAttribute("oms.event_seq", absl::StrCat(event.seq()));
  absl::Status applied = handler(s, event);
  if (IsPrepareAgain(applied)) {
    // Not a failure: the batch is prepared again and tried once more at once.
    span.AddAttribute("oms.prepare_again", std::string(applied.message()));
  } else if (!applied.ok()) {
    span.SetError(applied.ToString());
  }
  return applied;
}

absl::StatusOr<int64_t> FeedConsumer::PollOnce() {
  {
    // The explicit catch-up (a rebuild after the store was cleared, tools) starts from the
    // store: what only memory held is applied again, and changes nothing again.
    absl::MutexLock lock(&apply_mu_);
    stored_cursor_ = -1;
    held_events_ = 0;
  }
  int64_t applied = 0;
  while (true) {
    OMS_ASSIGN_OR_RETURN(int64_t cursor, Cursor());
    events::v1::ListEventsRequest request;
    request.set_after_seq(cursor);
    request.set_limit(options_.batch_size);
    for (const std::string& type : options_.types) request.add_types(type);
    events::v1::ListEventsResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + options_.rpc_deadline));
    OMS_RETURN_IF_ERROR(FromGrpcStatus(feed_->ListEvents(&context, request, &response)));
    std::vector<events::v1::Event> batch(response.events().begin(), response.events().end());
    OMS_ASSIGN_OR_RETURN(int64_t did, ApplyBatch(batch));
    applied += did;
    if (response.events_size() < options_.batch_size) return applied;
  }
}

void FeedConsumer::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_ != nullptr) return;
  stopping_ = false;
  thread_ = std::make_unique<std::thread>([this] { FollowLoop(); });
}

void FeedConsumer::Stop() {
  std::unique_ptr<std::thread> thread;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    if (active_watch_ != nullptr) active_watch_->TryCancel();
    thread = std::move(thread_);
  }
  if (thread != nullptr) thread->join();
  if (absl::Status flushed = FlushCursor(); !flushed.ok()) {
    LogWarning("feed ", source_, ": cursor not written at stop: ", flushed.ToString());
  }
}

absl::Status FeedConsumer::FollowWatch(ReadSome read, grpc::ClientContext& context, int& failures) {
  absl::Mutex mu;
  std::vector<events::v1::Event> arrived;  // guarded by mu
  bool ended = false;                      // guarded by mu: the stream is over
  bool quit = false;                       // guarded by mu: the applier gave up
  const size_t bound = 4 * static_cast<size_t>(options_.batch_size);
  std::thread read_thread([&] {
    std::vector<events::v1::Event> got;
    while (read(got)) {
      absl::MutexLock lock(&mu);
      // Back-pressure: the stream waits while the applier is behind.
      auto has_room = [&] { return arrived.size() < bound || quit; };
      mu.Await(absl::Condition(&has_room));
      if (quit) break;
      for (events::v1::Event& event : got) {
        NoteReceived(event);
        arrived.push_back(std::move(event));
      }
      got.clear();
    }
    absl::MutexLock lock(&mu);
    ended = true;
  });
  absl::Status status;
  while (true) {
    std::vector<events::v1::Event> batch;
    bool quiet = false;
    {
      absl::MutexLock lock(&mu);
      auto ready = [&] { return !arrived.empty() || ended; };
      quiet = !mu.AwaitWithTimeout(absl::Condition(&ready), options_.cursor_flush_interval);
      if (!quiet) {
        if (arrived.empty()) break;  // ended, everything applied
        size_t take = std::min(arrived.size(), static_cast<size_t>(options_.batch_size));
        batch.assign(std::make_move_iterator(arrived.begin()),
                     std::make_move_iterator(arrived.begin() + take));
        arrived.erase(arrived.begin(), arrived.begin() + take);
      }
    }
    if (quiet) {  // nothing arrived for a while: a held cursor is written now
      status = FlushCursor();
      if (!status.ok()) break;
      continue;
    }
    failures = 0;  // the feed was reachable: back off from scratch next time
    status = ApplyBatch(batch).status();
    if (!status.ok()) break;
  }
  if (!status.ok()) {
    context.TryCancel();  // ends the stream, so the reader thread's Read returns
    absl::MutexLock lock(&mu);
    quit = true;
  }
  read_thread.join();
  return status;
}

absl::Status FeedConsumer::WatchOnce(bool batches, const events::v1::WatchEventsRequest& request,
                                     grpc::ClientContext& context, int& failures,
                                     grpc::Status& finished) {
  absl::Status status;
  auto follow = [&](ReadSome read) { status = FollowWatch(read, context, failures); };
  finished = batches ? FollowStream(*feed_->WatchEventBatches(&context, request), follow)
                     : FollowStream(*feed_->WatchEvents(&context, request), follow);
  return status;
}

void FeedConsumer::FollowLoop() {
  BecomeBackgroundThread(absl::StrCat("feed:", source_));
  int failures = 0;
  // Batches (WatchEventBatches) unless the source's server is older and has only WatchEvents;
  // then events one by one while that stream lasts, and batches asked for again on the next
  // connection: a source upgraded in place (rolling upgrade) is followed in batches once it
  // comes back, at the price of one refused call per reconnect to one not yet upgraded.
  bool batches = true;
  while (true) {
    absl::Status status;
    absl::StatusOr<int64_t> cursor = Cursor();
    if (cursor.ok()) {
      grpc::ClientContext context;
      {
        absl::MutexLock lock(&mu_);
        if (stopping_) return;
        active_watch_ = &context;
      }
      events::v1::WatchEventsRequest request;
      request.set_after_seq(*cursor);
      for (const std::string& type : options_.types) request.add_types(type);
      grpc::Status finished;
      status = WatchOnce(batches, request, context, failures, finished);
      if (status.ok()) status = FromGrpcStatus(finished);
      absl::MutexLock lock(&mu_);
      active_watch_ = nullptr;
      if (batches && finished.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
        LogInfo("feed ", source_, ": its server has no WatchEventBatches; following WatchEvents");
        batches = false;
        continue;
      }
      batches = true;
    } else {
      status = cursor.status();
    }
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    // A source that is down stays quiet in the log: the 1st, 2nd, 4th, 8th... failure.
    ++failures;
    if ((failures & (failures - 1)) == 0) {
      LogWarning("feed ", source_, ": ", status.ToString(), "; reconnecting (failure ", failures,
                 ")");
    }
    absl::Duration wait = options_.retry_backoff;
    for (int i = 1; i < failures && wait < options_.max_backoff; ++i) wait *= 2;
    // Stop() ends the wait at once.
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), std::min(wait, options_.max_backoff));
    if (stopping_) return;
  }
}

}  // namespace oms
