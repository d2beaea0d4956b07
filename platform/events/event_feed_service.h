#ifndef OMS_PLATFORM_EVENTS_EVENT_FEED_SERVICE_H_
#define OMS_PLATFORM_EVENTS_EVENT_FEED_SERVICE_H_

#include "absl/time/time.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "platform/events/feed_watchers.h"
#include "platform/events/outbox.h"

namespace oms {

// oms.events.v1.EventFeed over one service's outbox. Every OMS binary serves it.
// WatchEvents replays from the caller's cursor, then follows new commits live until the
// caller cancels or the server shuts down (when the store's commit signal closes);
// WatchEventBatches does the same with the events ready together in one message. ListEvents
// runs on the server's threads; so does each watch stream, for its whole life, while one
// thread reads the feed for all of them (FeedWatchers). Thread-safe.
class EventFeedService final : public events::v1::EventFeed::Service {
 public:
  // `linger`: after a commit wakes a watcher, it waits this long for more commits before
  // reading, so that under load one read carries a burst of events rather than one read
  // per commit per watcher.
  explicit EventFeedService(Outbox* outbox, absl::Duration linger = absl::ZeroDuration())
      : outbox_(outbox), watchers_(outbox, linger) {}

  grpc::Status ListEvents(grpc::ServerContext* context,
                          const events::v1::ListEventsRequest* request,
                          events::v1::ListEventsResponse* response) override;
  grpc::Status WatchEvents(grpc::ServerContext* context,
                           const events::v1::WatchEventsRequest* request,
                           grpc::ServerWriter<events::v1::Event>* writer) override;
  grpc::Status WatchEventBatches(grpc::ServerContext* context,
                                 const events::v1::WatchEventsRequest* request,
                                 grpc::ServerWriter<events::v1::EventBatch>* writer) override;

  // Ends the open watch streams and stops serving new ones: call it before the outbox goes
  // (the server's shutdown hook).
  void StopWatches() { watchers_.Stop(); }

  // Watch streams open now (tests).
  int open_watches() { return watchers_.open_streams(); }

 private:
  // The caller's watch, or why it is refused.
  static absl::StatusOr<FeedWatch> WatchOf(const events::v1::WatchEventsRequest& request);

  Outbox* outbox_;
  FeedWatchers watchers_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_EVENT_FEED_SERVICE_H_
