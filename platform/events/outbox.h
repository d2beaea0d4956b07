#ifndef OMS_PLATFORM_EVENTS_OUTBOX_H_
#define OMS_PLATFORM_EVENTS_OUTBOX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "oms/events/v1/events.pb.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/storage/commit_signal.h"
#include "platform/storage/database.h"

namespace oms {

// The transactional outbox of one service: domain events are appended in the same
// transaction as the state change they describe, so an event exists exactly when its change
// does. Sequence numbers increase in commit order (Append holds a lock until commit); on
// PostgreSQL they may skip numbers where a transaction rolled back. Readers (the EventFeed service)
// wait for new events on the store's CommitSignal instead of polling. Thread-safe.
class Outbox {
 public:
  // Schema for Database::Migrate("outbox", ...).
  static const std::vector<Migration>& Migrations();

  // `source` names the service in every event ("order_svc"). `db`, `clock`, `ids` and
  // `commits` (the store's commit signal) must outlive the outbox.
  Outbox(Database* db, std::string source, const Clock* clock, IdGenerator* ids,
         CommitSignal* commits);

  // Appends an event inside the caller's transaction. Its type is the payload's message
  // name ("OrderCreated"). `channel` is the sales channel whose record it is ("ERP"), for
  // events keys bound to that channel may read; "" for events about no one channel's
  // records, which such keys never see. Answers the event's sequence number.
  // FAILED_PRECONDITION in a Durability::kReplayable transaction.
  absl::StatusOr<int64_t> Append(Session& session, absl::string_view aggregate_id,
                                 const google::protobuf::Message& payload,
                                 absl::string_view channel = "");

  // Events with seq > after_seq in order, at most `limit`, optionally only `types`, and
  // with `only_channel` only that channel's. DATA_LOSS when retention already deleted
  // events after `after_seq`.
  absl::StatusOr<std::vector<events::v1::Event>> List(int64_t after_seq, int limit,
                                                      absl::Span<const std::string> types,
                                                      const std::string& only_channel = "");
  // What one look at the feed found for several readers at once (FeedWatchers).
  struct Window {
    std::vector<events::v1::Event> events;  // the wanted ones, in order
    int64_t through_seq = 0;                // every event up to this seq was looked at
    bool full = false;                      // `max_events` were looked at: more may follow
  };
  // Looks at the events after `after_seq` in order, at most `max_events`, and answers
  // those `wanted(type, channel)` accepts, opening no other's payload. DATA_LOSS as List.
  absl::StatusOr<Window> Look(
      int64_t after_seq, int max_events,
      absl::FunctionRef<bool(absl::string_view type, absl::string_view channel)> wanted);
  absl::StatusOr<int64_t> LastSeq();
  // Deletes events that occurred before `cutoff` (retention) and remembers the newest seq
  // deleted; answers how many. Sequence numbers are never reused afterwards. Events a
  // reader seen since `readers_since` has not read yet are kept whatever their age: the
  // slowest active reader holds retention back (outbox_readers.cc).
  absl::StatusOr<int64_t> PruneBefore(absl::Time cutoff,
                                      absl::Time readers_since = absl::InfiniteFuture());

  // Records that `reader` (the caller's principal) has read up to `position` (the cursor
  // it asked from, or the last event sent to it). Written at most every few seconds per
  // reader while its position rises, at once when it falls (a reader starting over).
  void NoteReader(const std::string& reader, int64_t position);

  // The store's commit signal: read its Generation() before List() to wait for more.
  CommitSignal& commits() { return *commits_; }

  const std::string& source() const { return source_; }

 private:
  static absl::StatusOr<int64_t> PrunedThrough(Session& s);
  // DATA_LOSS when retention deleted events after `after_seq`.
  absl::Status CheckNotPruned(Session& s, int64_t after_seq);
  // An event from a row of `kEventColumns` (the payload opened).
  absl::Status ReadEvent(const Rows& row, events::v1::Event& event);
  // The lowest position of the readers seen since `since`, or nullopt when there is none.
  static absl::StatusOr<std::optional<int64_t>> SlowestReader(Session& s, absl::Time since);

  struct Noted {
    int64_t position = 0;
    absl::Time at;
  };
  absl::Mutex readers_mu_;
  std::map<std::string, Noted> noted_ ABSL_GUARDED_BY(readers_mu_);  // last written per reader

  Database* db_;
  const std::string source_;
  const Clock* clock_;
  IdGenerator* ids_;
  CommitSignal* commits_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_EVENTS_OUTBOX_H_
