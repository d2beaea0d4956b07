#include "platform/events/feed_watchers.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "absl/time/clock.h"
#include "platform/base/background_thread.h"
#include "platform/base/grpc_status.h"

namespace oms {
namespace {

constexpr int kWatchBatch = 200;

}  // namespace

FeedWatchers::FeedWatchers(Outbox* outbox, absl::Duration linger)
    : outbox_(outbox), linger_(linger) {
  waker_ = outbox_->commits().AddWaker([this] { Wake(); });
  thread_ = std::thread([this] { Run(); });
}

FeedWatchers::~FeedWatchers() {
  Stop();
  // Each stream's call returns once its last write is out.
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

void FeedWatchers::Admit(FeedStream* stream) {
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
}

int FeedWatchers::open_streams() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

void FeedWatchers::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void FeedWatchers::Remove(FeedStream* stream) {
  absl::MutexLock lock(&mu_);
  streams_.erase(stream);
}

void FeedWatchers::Run() {
  BecomeBackgroundThread("feed watchers");
  for (;;) {
    bool closed = false;
    std::vector<FeedStream*> ready = TakeReady(closed);
    if (closed) return;
    if (!ready.empty()) ReadFor(ready);
  }
}

std::vector<FeedStream*> FeedWatchers::TakeReady(bool& closed) {
  absl::MutexLock lock(&mu_);
  auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stopping_; };
  mu_.Await(absl::Condition(&woken));
  woken_ = false;
  CommitSignal& commits = outbox_->commits();
  if (stopping_ || commits.closed()) {
    closed = true;
    for (FeedStream* stream : streams_) {
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
    for (FeedStream* stream : streams_) stream->MarkStale();
  }
  std::vector<FeedStream*> ready;
  for (FeedStream* stream : streams_) {
    if (stream->Claim()) ready.push_back(stream);
  }
  return ready;
}

void FeedWatchers::ReadFor(const std::vector<FeedStream*>& ready) {
  // One look at the feed from the stream furthest behind serves every stream: under load
  // they all wait at the same tail, and each event is read and opened once, not per stream.
  int64_t from = ready.front()->cursor();
  for (FeedStream* stream : ready) from = std::min(from, stream->cursor());
  absl::StatusOr<Outbox::Window> looked =
      outbox_->Look(from, kWatchBatch, [&](absl::string_view type, absl::string_view channel) {
        return std::any_of(ready.begin(), ready.end(), [&](FeedStream* stream) {
          return stream->watch().Wants(type, channel);
        });
      });
  if (!looked.ok()) {  // e.g. retention passed the one furthest behind: each on its own
    for (FeedStream* stream : ready) ReadAlone(stream);
    return;
  }
  const int64_t through = looked->through_seq;
  const bool more = looked->full;
  auto window = std::make_shared<const std::vector<events::v1::Event>>(std::move(looked->events));
  for (FeedStream* stream : ready) {
    const int64_t cursor = stream->cursor();
    // A stream ahead of a window that stopped short (one far behind is replaying) does not
    // wait for that replay.
    if (more && cursor >= through) {
      ReadAlone(stream);
      continue;
    }
    outbox_->NoteReader(stream->watch().reader, cursor);
    FeedDelivery found{window, {}, through, more};
    for (const events::v1::Event& event : *window) {
      if (event.seq() > cursor && stream->watch().Wants(event.type(), event.channel())) {
        found.events.push_back(&event);
      }
    }
    stream->Deliver(std::move(found));
  }
}

void FeedWatchers::ReadAlone(FeedStream* stream) {
  const int64_t cursor = stream->cursor();
  outbox_->NoteReader(stream->watch().reader, cursor);
  absl::StatusOr<Outbox::Window> looked = outbox_->Look(
      cursor, kWatchBatch, [stream](absl::string_view type, absl::string_view channel) {
        return stream->watch().Wants(type, channel);
      });
  if (!looked.ok()) return stream->Deliver(looked.status());
  auto window = std::make_shared<const std::vector<events::v1::Event>>(std::move(looked->events));
  FeedDelivery found{window, {}, looked->through_seq, looked->full};
  for (const events::v1::Event& event : *window) found.events.push_back(&event);
  stream->Deliver(std::move(found));
}

}  // namespace oms
