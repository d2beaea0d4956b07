#ifndef OMS_PLATFORM_OUTBOX_H_
#define OMS_PLATFORM_OUTBOX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "oms/events/v1/events.pb.h"
#include "platform/clock.h"
#include "platform/ids.h"
#include "platform/sqlite.h"

namespace oms {

// The transactional outbox of one service: domain events are appended in the same SQLite
// transaction as the state change they describe, so an event exists exactly when its change
// does. Sequence numbers are dense and increasing. Readers (the EventFeed service) can wait
// for new events without polling the store. Thread-safe.
class Outbox {
 public:
  // Schema for Database::Migrate("outbox", ...).
  static const std::vector<std::string>& Migrations();

  // `source` names the service in every event ("order_svc"). Registers a commit listener on
  // `db` to wake waiters; `db`, `clock` and `ids` must outlive the outbox.
  Outbox(Database* db, std::string source, const Clock* clock, IdGenerator* ids);

  // Appends an event inside the caller's transaction. Its type is the payload's message
  // name ("OrderCreated"). Answers the event's sequence number.
  absl::StatusOr<int64_t> Append(Session& session, absl::string_view aggregate_id,
                                 const google::protobuf::Message& payload);

  // Events with seq > after_seq in order, at most `limit`, optionally only `types`.
  absl::StatusOr<std::vector<events::v1::Event>> List(int64_t after_seq, int limit,
                                                      absl::Span<const std::string> types);
  absl::StatusOr<int64_t> LastSeq();
  // Deletes events that occurred before `cutoff` (retention); answers how many. Sequence
  // numbers are never reused afterwards.
  absl::StatusOr<int64_t> PruneBefore(absl::Time cutoff);

  // A counter that moves on every commit to the store. Read it before List(); then
  // WaitForChange(seen) returns as soon as anything newer may exist.
  uint64_t Generation() const;
  // Waits until the generation differs from `seen`, `timeout` passes or Close() is called.
  // Returns false once closed.
  bool WaitForChange(uint64_t seen, absl::Duration timeout) const;
  // Wakes every waiter for good (server shutdown).
  void Close();

  const std::string& source() const { return source_; }

 private:
  Database* db_;
  const std::string source_;
  const Clock* clock_;
  IdGenerator* ids_;
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace oms

#endif  // OMS_PLATFORM_OUTBOX_H_
