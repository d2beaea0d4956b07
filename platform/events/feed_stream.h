#ifndef OMS_PLATFORM_EVENTS_FEED_STREAM_H_
#define OMS_PLATFORM_EVENTS_FEED_STREAM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/sync_stream.h"
#include "oms/events/v1/events.pb.h"

namespace oms {

class FeedWatchers;

// What one stream follows: events after `after_seq`, of `types` (all when empty), of
// `channel`'s records only when it is not empty; `reader` names it for retention.
struct FeedWatch {
  int64_t after_seq = 0;
  std::vector<std::string> types;
  std::string channel;
  std::string reader;

  bool Wants(absl::string_view type, absl::string_view event_channel) const;
};

// What one read of the feed found for one stream: its events (pointing into a window of the
// feed that several streams may share), how far the read looked, whether more may follow.
struct FeedDelivery {
  std::shared_ptr<const std::vector<events::v1::Event>> window;
  std::vector<const events::v1::Event*> events;
  int64_t through_seq = 0;
  bool more = false;
};

// One live stream of a service's feed, as FeedWatchers drives it. The feed's thread reads for
// it while it is "busy"; its events then go out write after write (FeedStreamWriter says how
// many a write carries), and it is busy until the last is written. It ends only when not
// busy, so the feed's thread never holds a stream that is gone. Thread-safe.
class FeedStream {
 public:
  FeedStream(FeedWatchers* feed, FeedWatch watch);
  virtual ~FeedStream() = default;

  const FeedWatch& watch() const { return watch_; }

  // Called with the feed's lock held: claims the stream for a read when it may have
  // something new and is neither sending nor ending.
  bool Claim();
  // Called with the feed's lock held: something new may have been committed.
  void MarkStale();
  // While claimed, nothing else moves it.
  int64_t cursor();

  // After a claim (the feed's thread): sends what the read found, or ends the stream with
  // the read's error.
  void Deliver(absl::StatusOr<FeedDelivery> found);
  // Ends the stream with `status` now, or once what it is sending is written.
  void End(grpc::Status status);

 protected:
  // Starts one write of `events` (never empty) from the first on, in the RPC's message
  // type; answers how many of them it carries. Called with the stream's lock held.
  virtual size_t StartWriteOf(absl::Span<const events::v1::Event* const> events) = 0;
  // The stream is over: the call ends with `status`. Called with the stream's lock held.
  virtual void FinishWith(grpc::Status status) = 0;
  // From the RPC's thread: the write started last is out (`ok`) or failed; the caller
  // cancelled; the call is over (after FinishWith), and the stream may be destroyed.
  void WriteDone(bool ok);
  void Cancelled();
  void Done();

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The delivery is out: the cursor moves past what the read looked at (events of other
  // types or channels are not looked at again). Answers whether the stream should be read
  // again now: the read stopped short, or a commit came in the meantime.
  bool FinishDeliveryLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  FeedWatchers* const feed_;
  const FeedWatch watch_;
  absl::Mutex mu_;
  int64_t cursor_ ABSL_GUARDED_BY(mu_);
  bool stale_ ABSL_GUARDED_BY(mu_) = true;  // a new stream starts with its replay
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> ending_ ABSL_GUARDED_BY(mu_);
  FeedDelivery found_ ABSL_GUARDED_BY(mu_);    // being written
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;       // the first event of found_ not yet written
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;  // events the write under way carries
};

// A batch message stays well under gRPC's 4 MB default for what a client receives.
inline constexpr size_t kMaxEventBatchBytes = 1 << 20;

// How often a stream with nothing to send asks whether its caller went away: the sync API
// tells a handler of a cancellation only when it asks.
inline constexpr absl::Duration kCancelCheckInterval = absl::Seconds(1);

// FeedStream on the thread of a WatchEvents (`Written` = Event: one event per write) or
// WatchEventBatches (EventBatch: what is ready, up to kMaxEventBatchBytes, per write) call of
// gRPC's sync API: Serve() holds that thread for the stream's life, waiting for what the
// feed's thread hands over and writing it. The callback API would hold no thread, but in
// gRPC 1.51 its completion threads sleep 100 ms after every idle second, and a call to the
// server arriving meanwhile waited for them (docs/BENCHMARKS.md, "Quiet feeds").
template <typename Written>
class FeedStreamWriter final : public FeedStream {
 public:
  FeedStreamWriter(FeedWatchers* feed, FeedWatch watch, grpc::ServerContext* context,
                   grpc::ServerWriterInterface<Written>* writer)
      : FeedStream(feed, std::move(watch)), context_(context), writer_(writer) {}

  // Until the stream ends (the caller cancels or goes away, the server shuts down); answers
  // the status the call ends with.
  grpc::Status Serve() {
    for (;;) {
      switch (Next()) {
        case Step::kWrite:
          // Only this thread touches to_write_ between StartWriteOf and WriteDone.
          WriteDone(writer_->Write(*to_write_));
          break;
        case Step::kIdle:
          if (context_->IsCancelled()) Cancelled();
          break;
        case Step::kFinished:
          Done();
          return *final_status_;  // set once, before Next saw it
      }
    }
  }

 private:
  enum class Step { kWrite, kIdle, kFinished };

  Step Next() {
    absl::MutexLock lock(&pump_mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pump_mu_) {
      return write_ready_ || final_status_.has_value();
    };
    if (!pump_mu_.AwaitWithTimeout(absl::Condition(&ready), kCancelCheckInterval)) {
      return Step::kIdle;
    }
    if (final_status_.has_value()) return Step::kFinished;
    write_ready_ = false;
    return Step::kWrite;
  }

  size_t StartWriteOf(absl::Span<const events::v1::Event* const> events) override {
    size_t carried = 1;
    if constexpr (std::is_same_v<Written, events::v1::Event>) {
      to_write_ = events.front();  // the window it points into lives until WriteDone
    } else {
      batch_.Clear();
      size_t bytes = 0;
      for (const events::v1::Event* event : events) {
        bytes += event->ByteSizeLong();
        if (batch_.events_size() > 0 && bytes > kMaxEventBatchBytes) break;
        *batch_.add_events() = *event;
      }
      carried = batch_.events_size();
      to_write_ = &batch_;
    }
    absl::MutexLock lock(&pump_mu_);
    write_ready_ = true;
    return carried;
  }
  void FinishWith(grpc::Status status) override {
    absl::MutexLock lock(&pump_mu_);
    final_status_ = std::move(status);
  }

  grpc::ServerContext* const context_;
  grpc::ServerWriterInterface<Written>* const writer_;
  const Written* to_write_ = nullptr;  // handed over by StartWriteOf, then being written
  // The message being written (WatchEventBatches; a single event is written from the window).
  std::conditional_t<std::is_same_v<Written, events::v1::EventBatch>, events::v1::EventBatch,
                     std::monostate>
      batch_;
  absl::Mutex pump_mu_;
  bool write_ready_ ABSL_GUARDED_BY(pump_mu_) = false;
  std::optional<grpc::Status> final_status_ ABSL_GUARDED_BY(pump_mu_);  // the stream is over
};

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_FEED_STREAM_H_
