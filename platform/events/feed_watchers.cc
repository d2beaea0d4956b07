#include "platform/events/feed_watchers.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/time/clock.h"
#include "platform/base/grpc_status.h"

namespace oms {
namespace {

constexpr int kWatchBatch = 200;

}  // namespace

// What one read found for one stream: its events (pointing into a window of the feed that
// several streams may share), how far the read looked, and whether more may follow.
struct FeedWatchers::Found {
  std::shared_ptr<const std::vector<events::v1::Event>> window;
  std::vector<const events::v1::Event*> events;
  int64_t through_seq = 0;
  bool more = false;
};

// One WatchEvents stream. The feed's thread reads for it while it is "busy"; its events then
// go out one callback write after another, and it is busy until the last is written. It ends
// only when not busy, so the feed's thread never holds a stream that is gone.
class FeedWatchers::Stream final : public grpc::ServerWriteReactor<events::v1::Event> {
 public:
  Stream(FeedWatchers* feed, Watch watch)
      : feed_(feed), watch_(std::move(watch)), cursor_(watch_.after_seq) {}

  const Watch& watch() const { return watch_; }

  // Whether this stream follows events of `type` in `channel`.
  bool Wants(absl::string_view type, absl::string_view channel) const {
    if (!watch_.channel.empty() && channel != watch_.channel) return false;
    return watch_.types.empty() ||
           std::find(watch_.types.begin(), watch_.types.end(), type) != watch_.types.end();
  }

  // Called with the feed's lock held: claims the stream for a read when it may have
  // something new and is neither sending nor ending.
  bool Claim() {
    absl::MutexLock lock(&mu_);
    if (ended_ || busy_ || !stale_) return false;
    busy_ = true;
    stale_ = false;
    return true;
  }
  void MarkStale() {
    absl::MutexLock lock(&mu_);
    stale_ = true;
  }
  // While claimed, nothing else moves it.
  int64_t cursor() {
    absl::MutexLock lock(&mu_);
    return cursor_;
  }

  // After a claim: sends what the read found, or ends the stream with the read's error.
  // Called by the feed's thread.
  void Deliver(absl::StatusOr<Found> found) {
    {
      absl::MutexLock lock(&mu_);
      if (!found.ok()) return EndLocked(ToGrpcStatus(found.status()));
      if (ending_.has_value()) return EndLocked(*ending_);
      found_ = *std::move(found);
      next_ = 0;
      if (!found_.events.empty()) return WriteNextLocked();
      if (!FinishBatchLocked()) return;
    }
    feed_->Wake();  // found nothing for this stream yet, but the read stopped short
  }

  // Ends the stream with `status` now, or once what it is sending is written.
  void End(grpc::Status status) {
    absl::MutexLock lock(&mu_);
    ending_ = std::move(status);
    if (!busy_) EndLocked(*ending_);
  }

  void OnWriteDone(bool ok) override {
    bool more = false;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) return EndLocked(grpc::Status::OK);  // the caller went away
      cursor_ = found_.events[next_]->seq();
      ++next_;
      if (ending_.has_value()) return EndLocked(*ending_);
      if (next_ < found_.events.size()) return WriteNextLocked();
      more = FinishBatchLocked();
    }
    if (more) feed_->Wake();
  }

  void OnCancel() override {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled by the caller"));
  }

  void OnDone() override {
    feed_->Remove(this);
    delete this;
  }

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // One write at a time (the reactor's rule). A buffer hint would hold this write's
    // completion until a later flush, so none is given.
    StartWrite(found_.events[next_]);
  }
  // The batch is out: the cursor moves past what the read looked at (events of other types
  // or channels are not looked at again). Answers whether the stream should be read again
  // now: the read stopped short, or a commit came in the meantime (it marked it stale).
  bool FinishBatchLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    cursor_ = std::max(cursor_, found_.through_seq);
    if (found_.more) stale_ = true;
    found_ = Found();
    busy_ = false;
    return stale_;
  }
  void EndLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    busy_ = false;
    if (ended_) return;
    ended_ = true;
    Finish(std::move(status));
  }

  FeedWatchers* const feed_;
  const Watch watch_;
  absl::Mutex mu_;
  int64_t cursor_ ABSL_GUARDED_BY(mu_);
  bool stale_ ABSL_GUARDED_BY(mu_) = true;  // a new stream starts with its replay
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> ending_ ABSL_GUARDED_BY(mu_);
  Found found_ ABSL_GUARDED_BY(mu_);  // being written
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

FeedWatchers::FeedWatchers(Outbox* outbox, absl::Duration linger)
    : outbox_(outbox), linger_(linger) {
  waker_ = outbox_->commits().AddWaker([this] { Wake(); });
  thread_ = std::thread([this] { Run(); });
}

FeedWatchers::~FeedWatchers() {
  Stop();
  // gRPC is done with each stream once its last write is out.
  absl::MutexLock lock(&mu_);
  auto all_done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return streams_.empty(); };
  mu_.Await(absl::Condition(&all_done));
}

void FeedWatchers::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (waker_ >= 0) outbox_->commits().RemoveWaker(waker_);
  waker_ = -1;
}

grpc::ServerWriteReactor<events::v1::Event>* FeedWatchers::Start(Watch watch) {
  auto* stream = new Stream(this, std::move(watch));
  bool refused;
  {
    absl::MutexLock lock(&mu_);
    refused = stopping_ || outbox_->commits().closed();
    if (!refused) {
      streams_.insert(stream);
      woken_ = true;
    }
  }
  if (refused) stream->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down"));
  return stream;
}

int FeedWatchers::open_streams() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

void FeedWatchers::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void FeedWatchers::Remove(Stream* stream) {
  absl::MutexLock lock(&mu_);
  streams_.erase(stream);
}

void FeedWatchers::Run() {
  for (;;) {
    bool closed = false;
    std::vector<Stream*> ready = TakeReady(closed);
    if (closed) return;
    if (!ready.empty()) ReadFor(ready);
  }
}

std::vector<FeedWatchers::Stream*> FeedWatchers::TakeReady(bool& closed) {
  absl::MutexLock lock(&mu_);
  auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stopping_; };
  mu_.Await(absl::Condition(&woken));
  woken_ = false;
  CommitSignal& commits = outbox_->commits();
  if (stopping_ || commits.closed()) {
    closed = true;
    for (Stream* stream : streams_) {
      stream->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down"));
    }
    stopping_ = true;  // streams that come later are refused at once
    return {};
  }
  // Read the generation before the reads: a commit after this point wakes the thread again.
  if (uint64_t generation = commits.Generation(); generation != seen_generation_) {
    if (linger_ > absl::ZeroDuration()) {
      mu_.Unlock();
      absl::SleepFor(linger_);
      mu_.Lock();
      generation = commits.Generation();
    }
    seen_generation_ = generation;
    for (Stream* stream : streams_) stream->MarkStale();
  }
  std::vector<Stream*> ready;
  for (Stream* stream : streams_) {
    if (stream->Claim()) ready.push_back(stream);
  }
  return ready;
}

void FeedWatchers::ReadFor(const std::vector<Stream*>& ready) {
  // One look at the feed from the stream furthest behind serves every stream: under load
  // they all wait at the same tail, and each event is read and opened once, not per stream.
  int64_t from = ready.front()->cursor();
  for (Stream* stream : ready) from = std::min(from, stream->cursor());
  absl::StatusOr<Outbox::Window> looked =
      outbox_->Look(from, kWatchBatch, [&](absl::string_view type, absl::string_view channel) {
        return std::any_of(ready.begin(), ready.end(),
                           [&](Stream* stream) { return stream->Wants(type, channel); });
      });
  if (!looked.ok()) {  // e.g. retention passed the one furthest behind: each on its own
    for (Stream* stream : ready) ReadAlone(stream);
    return;
  }
  const int64_t through = looked->through_seq;
  const bool more = looked->full;
  auto window = std::make_shared<const std::vector<events::v1::Event>>(std::move(looked->events));
  for (Stream* stream : ready) {
    const int64_t cursor = stream->cursor();
    // A stream ahead of a window that stopped short (one far behind is replaying) does not
    // wait for that replay.
    if (more && cursor >= through) {
      ReadAlone(stream);
      continue;
    }
    outbox_->NoteReader(stream->watch().reader, cursor);
    Found found{window, {}, through, more};
    for (const events::v1::Event& event : *window) {
      if (event.seq() > cursor && stream->Wants(event.type(), event.channel())) {
        found.events.push_back(&event);
      }
    }
    stream->Deliver(std::move(found));
  }
}

void FeedWatchers::ReadAlone(Stream* stream) {
  const int64_t cursor = stream->cursor();
  outbox_->NoteReader(stream->watch().reader, cursor);
  absl::StatusOr<Outbox::Window> looked = outbox_->Look(
      cursor, kWatchBatch, [stream](absl::string_view type, absl::string_view channel) {
        return stream->Wants(type, channel);
      });
  if (!looked.ok()) return stream->Deliver(looked.status());
  auto window = std::make_shared<const std::vector<events::v1::Event>>(std::move(looked->events));
  Found found{window, {}, looked->through_seq, looked->full};
  for (const events::v1::Event& event : *window) found.events.push_back(&event);
  stream->Deliver(std::move(found));
}

}  // namespace oms
