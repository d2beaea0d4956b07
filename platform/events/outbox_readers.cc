// Who reads a service's feed and how far: retention never deletes what an active reader has
// not read yet (Outbox::PruneBefore).
#include "absl/time/clock.h"
#include "platform/base/status.h"
#include "platform/events/outbox.h"
#include "platform/security/call_info.h"

namespace oms {
namespace {

// A rising position is written at most this often per reader: each write is a commit,
// which wakes every watcher of the feed.
constexpr absl::Duration kNoteEvery = absl::Seconds(5);

}  // namespace

void Outbox::NoteReader(const std::string& reader, int64_t position) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&readers_mu_);
    auto noted = noted_.find(reader);
    if (noted != noted_.end()) {
      if (position == noted->second.position) return;
      // Falling (a reader starting over) is written at once, or retention could delete
      // what it is about to read; rising only every kNoteEvery.
      if (position > noted->second.position && now - noted->second.at < kNoteEvery) return;
    }
    noted_[reader] = Noted{position, now};
  }
  // Bookkeeping, not a change the caller made: no audit entry for it.
  auth::CallScope not_the_call(nullptr);
  // Best effort: a failed write only keeps the older position, which holds retention back.
  db_->Transact([&](Session& s) {
       return s
           .Exec(
               "INSERT INTO feed_readers(reader, position, seen_us) VALUES(?, ?, ?) "
               "ON CONFLICT(reader) DO UPDATE SET position = excluded.position, "
               "seen_us = excluded.seen_us",
               {reader, position, absl::ToUnixMicros(now)})
           .status();
     })
      .IgnoreError();
}

absl::StatusOr<std::optional<int64_t>> Outbox::SlowestReader(Session& s, absl::Time since) {
  std::optional<int64_t> slowest;
  if (since == absl::InfiniteFuture()) return slowest;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT MIN(position), COUNT(*) FROM feed_readers "
                   "WHERE seen_us >= ?",
                   {absl::ToUnixMicros(since)}, [&](const Rows& row) {
                     if (row.Int(1) > 0) slowest = row.Int(0);
                     return absl::OkStatus();
                   }));
  return slowest;
}

}  // namespace oms
