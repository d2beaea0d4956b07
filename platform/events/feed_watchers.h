#ifndef OMS_PLATFORM_EVENTS_FEED_WATCHERS_H_
#define OMS_PLATFORM_EVENTS_FEED_WATCHERS_H_

#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/sync_stream.h"
#include "oms/events/v1/events.pb.h"
#include "platform/events/feed_stream.h"
#include "platform/events/outbox.h"

namespace oms {

// The live WatchEvents streams of one outbox, read for by one thread. A commit wakes that
// thread once, whatever the number of streams; it looks at the feed once for all the streams
// that may have something new and are not still sending their last batch (each event is
// read and opened once, not per stream), and hands each its events to write on its own call's
// thread (FeedStreamWriter). A batch goes out write after write. The streams end
// (UNAVAILABLE) when the store's commit signal closes at shutdown. Thread-safe.
class FeedWatchers {
 public:
  using Watch = FeedWatch;

  // `linger`: after a commit wakes the thread, it waits this long for more commits before
  // reading, so that under load one read carries a burst of events.
  FeedWatchers(Outbox* outbox, absl::Duration linger);
  // Stop(), then waits for the streams to be done.
  ~FeedWatchers();

  // Ends the streams still open (UNAVAILABLE) and stops the thread; streams that come later
  // are refused. Call it before the outbox goes (a server's shutdown hook); idempotent.
  void Stop();

  // Serves a new stream on the calling thread (a handler of gRPC's sync API) until it ends,
  // and answers the status the call ends with: it replays from the cursor, then follows new
  // commits until the caller cancels or the server shuts down. With an Event writer one
  // event goes per message (WatchEvents), with an EventBatch writer what is ready together
  // (WatchEventBatches).
  template <typename Written>
  grpc::Status Serve(Watch watch, grpc::ServerContext* context,
                     grpc::ServerWriterInterface<Written>* writer) {
    FeedStreamWriter<Written> stream(this, std::move(watch), context, writer);
    Admit(&stream);
    return stream.Serve();
  }

  // Streams open now (tests).
  int open_streams();

 private:
  friend class FeedStream;  // Wake() and Remove()

  void Admit(FeedStream* stream);

  void Run();
  void Wake();
  void Remove(FeedStream* stream);
  // The streams to read for now, each marked busy (so it cannot end while being read).
  std::vector<FeedStream*> TakeReady(bool& closed);
  // Reads for the ready streams with one look at the feed where it serves them.
  void ReadFor(const std::vector<FeedStream*>& ready);
  void ReadAlone(FeedStream* stream);

  Outbox* const outbox_;
  const absl::Duration linger_;
  int waker_ = -1;
  absl::Mutex mu_;
  std::set<FeedStream*> streams_ ABSL_GUARDED_BY(mu_);
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t seen_generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_FEED_WATCHERS_H_
