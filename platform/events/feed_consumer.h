#ifndef OMS_PLATFORM_EVENTS_FEED_CONSUMER_H_
#define OMS_PLATFORM_EVENTS_FEED_CONSUMER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "platform/base/background.h"
#include "platform/base/clock.h"
#include "platform/events/batch_preparer.h"
#include "platform/metrics/registry.h"
#include "platform/storage/database.h"

namespace oms {

// Applies another service's event feed to this service's store, exactly once in effect:
// events and the cursor update (last applied seq per source) commit in one transaction
// (the events that arrived together, up to batch_size, share it),
// so a crash between the two cannot happen and a redelivered event is recognised and
// skipped. A consumer that was down resumes from its cursor. Holes in the sequence are
// normal (numbers taken by rolled-back transactions, types filtered out); events pruned
// before they were applied make the source answer DATA_LOSS, and the consumer stops rather
// than skipping them. A batch that changed nothing here (the handler wrote no row) does not
// commit its cursor alone: the cursor is held in memory and written with the next batch that
// changes something, or after `cursor_flush_events` such events or `cursor_flush_interval`,
// or at Stop(). A crash replays at most those events, which changed nothing the first time.
// The cursor table is in feed_cursors.h. Thread-safe.
class FeedConsumer : public Background {
 public:
  // Applies one event inside the consumer's transaction. A non-OK answer rolls back the
  // batch and the cursor; its events are offered again on the next poll.
  using Handler = EventHandler;

  struct Options {
    int batch_size = 200;
    absl::Duration rpc_deadline = absl::Seconds(10);
    absl::Duration retry_backoff = absl::Milliseconds(200);  // after a failed watch; doubles
    absl::Duration max_backoff = absl::Seconds(30);
    // Only these event types are sent (empty: all). The source filters, so a consumer that
    // acts on a few types is not woken, nor commits its cursor, for the rest.
    std::vector<std::string> types;
    // How long, and for how many events, a cursor moved only by events that changed nothing
    // may stay unwritten (see above).
    int cursor_flush_events = 500;
    absl::Duration cursor_flush_interval = absl::Seconds(5);
    // How the batches commit. kReplayable (no fsync of their own) suits a handler whose
    // writes are a pure projection of the events: a power loss takes back the last batches
    // and their cursor together, and the source, which commits durably, sends them again.
    // Such a handler must append no outbox event (Outbox::Append refuses) and must act on
    // nothing outside the store.
    Durability durability = Durability::kDurable;
    const Clock* clock = nullptr;  // nullptr: Clock::Real()
    // Makes each batch's handler outside its transaction (batch_preparer.h): for handlers
    // that need answers from other services. A handler answering PrepareAgainError has its
    // batch prepared and tried again at once. When set, the constructor's handler may be
    // empty.
    BatchPreparer prepare;
  };

  // `source` names the feed ("order_svc"); the cursor is stored under it. `db` and `feed`
  // must outlive the consumer.
  FeedConsumer(Database* db, std::string source, events::v1::EventFeed::StubInterface* feed,
               Handler handler, Options options);
  FeedConsumer(Database* db, std::string source, events::v1::EventFeed::StubInterface* feed,
               Handler handler)
      : FeedConsumer(db, std::move(source), feed, std::move(handler), Options()) {}
  ~FeedConsumer() override;

  // A consumer with its own channel to the feed at `address` ("127.0.0.1:50051").
  static std::unique_ptr<FeedConsumer> Connect(Database* db, std::string source,
                                               const std::string& address, Handler handler,
                                               Options options);
  static std::unique_ptr<FeedConsumer> Connect(Database* db, std::string source,
                                               const std::string& address, Handler handler) {
    return Connect(db, std::move(source), address, std::move(handler), Options());
  }

  // The seq of the last applied event from this source (0 before any), held or stored.
  absl::StatusOr<int64_t> Cursor();

  // Writes a held cursor now (see above); Stop() and a quiet feed do it by themselves.
  absl::Status FlushCursor();

  // Fetches and applies everything available now, from the stored cursor (not a held one);
  // answers how many events it applied.
  absl::StatusOr<int64_t> PollOnce();

  // Follows the feed live in a background thread (WatchEventBatches, or WatchEvents from a
  // server without it), reconnecting from the
  // cursor after errors, until Stop().
  void Start() override;
  void Stop() override;
  std::string name() const override { return "feed:" + source_; }

 private:
  // Applies, in one transaction, the events whose seq is above the cursor. Answers how many.
  absl::StatusOr<int64_t> ApplyBatch(const std::vector<events::v1::Event>& events);
  // Where to go on from, given the cursor the store holds: the held one, unless the store's
  // moved since this consumer last read or wrote it (a rebuild, another replica).
  int64_t StartingCursor(int64_t stored) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  // After a committed batch: what the store holds now, and what is held in memory.
  void NoteCursor(int64_t stored, int64_t applied_through, int64_t events, bool written)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  bool FlushDue(int64_t more_events) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  // Reads the next message of a watch stream into the vector (its events, in order); false
  // when the stream is over.
  using ReadSome = absl::FunctionRef<bool(std::vector<events::v1::Event>&)>;
  // Reads the watch stream on its own thread while this one applies what has arrived, so
  // events that arrive together commit together.
  absl::Status FollowWatch(ReadSome read, grpc::ClientContext& context, int& failures);
  // One watch from `request`'s cursor until it ends (`finished`: how the server ended it),
  // in batches or event by event.
  absl::Status WatchOnce(bool batches, const events::v1::WatchEventsRequest& request,
                         grpc::ClientContext& context, int& failures, grpc::Status& finished);
  void FollowLoop();

  Database* db_;
  const std::string source_;
  std::unique_ptr<events::v1::EventFeed::StubInterface> owned_feed_;  // from Connect()
  events::v1::EventFeed::StubInterface* feed_;
  Options options_;  // its `prepare` makes each batch's handler

  // The batch's handler, inside a span of the trace the event was written in (if any).
  absl::Status ApplyInTrace(const Handler& handler, Session& s, const events::v1::Event& event);
  // For the oms_feed_consumer_* metrics (feed_consumer_metrics.cc).
  void NoteReceived(const events::v1::Event& event);
  void NoteApplied(const std::vector<events::v1::Event>& events);
  void CollectMetrics(metrics::Sample& sample) const;
  std::atomic<int64_t> received_seq_{0};          // newest seq seen from the source
  std::atomic<int64_t> applied_seq_{0};           // newest seq applied here
  std::atomic<int64_t> waiting_since_micros_{0};  // oldest unapplied event's time; 0: none
  metrics::CollectorHandle metrics_;

  // Batches, flushes and the cursor state below, one at a time.
  absl::Mutex apply_mu_;
  int64_t stored_cursor_ ABSL_GUARDED_BY(apply_mu_) = -1;  // last read or written; -1: unknown
  int64_t held_cursor_ ABSL_GUARDED_BY(apply_mu_) = 0;     // applied, maybe not yet written
  int64_t held_events_ ABSL_GUARDED_BY(apply_mu_) = 0;     // applied since the last write
  absl::Time held_since_ ABSL_GUARDED_BY(apply_mu_);

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* active_watch_ ABSL_GUARDED_BY(mu_) = nullptr;
  std::unique_ptr<std::thread> thread_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_FEED_CONSUMER_H_
