#include "platform/events/feed_stream.h"

#include <algorithm>
#include <utility>

#include "platform/base/grpc_status.h"
#include "platform/events/feed_watchers.h"

namespace oms {

bool FeedWatch::Wants(absl::string_view type, absl::string_view event_channel) const {
  if (!channel.empty() && event_channel != channel) return false;
  return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

FeedStream::FeedStream(FeedWatchers* feed, FeedWatch watch)
    : feed_(feed), watch_(std::move(watch)), cursor_(watch_.after_seq) {}

bool FeedStream::Claim() {
  absl::MutexLock lock(&mu_);
  if (ended_ || busy_ || !stale_) return false;
  busy_ = true;
  stale_ = false;
  return true;
}

void FeedStream::MarkStale() {
  absl::MutexLock lock(&mu_);
  stale_ = true;
}

int64_t FeedStream::cursor() {
  absl::MutexLock lock(&mu_);
  return cursor_;
}

void FeedStream::Deliver(absl::StatusOr<FeedDelivery> found) {
  FeedWatchers* const feed = feed_;  // once unlocked, the stream may end and be gone
  {
    absl::MutexLock lock(&mu_);
    if (!found.ok()) return EndLocked(ToGrpcStatus(found.status()));
    if (ending_.has_value()) return EndLocked(*ending_);
    found_ = *std::move(found);
    next_ = 0;
    if (!found_.events.empty()) return WriteNextLocked();
    if (!FinishDeliveryLocked()) return;
  }
  feed->Wake();  // nothing for this stream yet, but the read stopped short
}

void FeedStream::End(grpc::Status status) {
  absl::MutexLock lock(&mu_);
  ending_ = std::move(status);
  if (!busy_) EndLocked(*ending_);
}

void FeedStream::WriteDone(bool ok) {
  bool more = false;
  {
    absl::MutexLock lock(&mu_);
    if (!ok) return EndLocked(grpc::Status::OK);  // the caller went away
    next_ += in_flight_;
    cursor_ = found_.events[next_ - 1]->seq();
    if (ending_.has_value()) return EndLocked(*ending_);
    if (next_ < found_.events.size()) return WriteNextLocked();
    more = FinishDeliveryLocked();
  }
  if (more) feed_->Wake();
}

void FeedStream::Cancelled() {
  End(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled by the caller"));
}

void FeedStream::Done() {
  feed_->Remove(this);
  // Whoever ended the stream did so holding its lock: wait until they let go of it.
  absl::MutexLock lock(&mu_);
}

void FeedStream::WriteNextLocked() {
  in_flight_ = StartWriteOf(absl::MakeConstSpan(found_.events).subspan(next_));
}

bool FeedStream::FinishDeliveryLocked() {
  cursor_ = std::max(cursor_, found_.through_seq);
  if (found_.more) stale_ = true;
  found_ = FeedDelivery();
  busy_ = false;
  return stale_;
}

void FeedStream::EndLocked(grpc::Status status) {
  busy_ = false;
  if (ended_) return;
  ended_ = true;
  FinishWith(std::move(status));
}

}  // namespace oms
