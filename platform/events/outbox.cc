#include "platform/events/outbox.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/security/call_info.h"
#include "platform/tracing/trace_context.h"

namespace oms {
namespace {

// The columns Outbox::ReadEvent reads, in its order.
constexpr char kEventColumns[] =
    "seq, event_id, type, aggregate_id, occurred_at_us, payload, traceparent, channel";

}  // namespace

const std::vector<Migration>& Outbox::Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE outbox ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  event_id TEXT NOT NULL UNIQUE,"
      "  type TEXT NOT NULL,"
      "  aggregate_id TEXT NOT NULL,"
      "  occurred_at_us INTEGER NOT NULL,"
      "  payload BLOB NOT NULL);"
      "CREATE INDEX outbox_type_seq ON outbox(type, seq);",
      // Version 2: how far retention has deleted, so a reader behind it is told, not
      // silently moved past what it never saw.
      "CREATE TABLE outbox_pruned (id INTEGER PRIMARY KEY, through_seq INTEGER NOT NULL);",
      // Version 3: the trace each event was written in (W3C traceparent).
      "ALTER TABLE outbox ADD COLUMN traceparent TEXT NOT NULL DEFAULT '';",
      // Version 4: the sales channel whose record an event is, for channel-bound readers.
      "ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT '';",
      // Version 5: how far each reader of the feed has read, for retention.
      "CREATE TABLE feed_readers (reader TEXT PRIMARY KEY, position INTEGER NOT NULL,"
      "  seen_us INTEGER NOT NULL);",
  };
  return *migrations;
}

Outbox::Outbox(Database* db, std::string source, const Clock* clock, IdGenerator* ids,
               CommitSignal* commits)
    : db_(db), source_(std::move(source)), clock_(clock), ids_(ids), commits_(commits) {}

absl::StatusOr<int64_t> Outbox::Append(Session& session, absl::string_view aggregate_id,
                                       const google::protobuf::Message& payload,
                                       absl::string_view channel) {
  if (session.durability() != Durability::kDurable) {
    // A power loss could take the event back after a reader has seen it, and its number
    // would be handed out again to a different event that reader then skips.
    return absl::FailedPreconditionError(
        "an event is appended only in a durable transaction, not a replayable one");
  }
  google::protobuf::Any any;
  any.PackFrom(payload);
  std::string bytes = crypto::SerializeSealed(any);  // the payload's personal values sealed
  // Sequence numbers are handed out as rows are inserted; with concurrent writers (replicas
  // on PostgreSQL) a later number could commit first and a feed reader that has moved past it
  // would never see the earlier one. Taking this lock until commit makes seq order commit
  // order, so following by seq never skips an event.
  OMS_RETURN_IF_ERROR(session.LockUntilCommit("outbox"));
  OMS_ASSIGN_OR_RETURN(
      Rows inserted,
      session.Query("INSERT INTO outbox(event_id, type, aggregate_id, occurred_at_us, payload, "
                    "traceparent, channel) VALUES(?, ?, ?, ?, ?, ?, ?) RETURNING seq",
                    {ids_->Next("evt"), payload.GetDescriptor()->name(), aggregate_id,
                     absl::ToUnixMicros(clock_->Now()), SqlArg::Blob(bytes),
                     tracing::CurrentTraceparent(), channel}));
  OMS_ASSIGN_OR_RETURN(bool row, inserted.Next());
  if (!row) return absl::InternalError("outbox insert returned no seq");
  auth::NoteTarget(std::string(aggregate_id));  // the audit entry names what changed
  return inserted.Int(0);
}

absl::StatusOr<std::vector<events::v1::Event>> Outbox::List(int64_t after_seq, int limit,
                                                            absl::Span<const std::string> types,
                                                            const std::string& only_channel) {
  std::vector<SqlArg> args = {after_seq};
  std::string sql = absl::StrCat("SELECT ", kEventColumns, " FROM outbox WHERE seq > ?");
  if (!only_channel.empty()) {
    absl::StrAppend(&sql, " AND channel = ?");
    args.emplace_back(only_channel);
  }
  if (!types.empty()) {
    std::vector<std::string> marks(types.size(), "?");
    absl::StrAppend(&sql, " AND type IN (", absl::StrJoin(marks, ","), ")");
    for (const std::string& type : types) args.emplace_back(type);
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT ?");
  args.emplace_back(limit);
  std::vector<events::v1::Event> events;
  OMS_RETURN_IF_ERROR(db_->Read([&](Session& s) -> absl::Status {
    events.clear();
    OMS_RETURN_IF_ERROR(CheckNotPruned(s, after_seq));
    return s.ForEachRow(sql, args, [&](const Rows& row) -> absl::Status {
      return ReadEvent(row, events.emplace_back());
    });
  }));
  return events;
}

absl::StatusOr<Outbox::Window> Outbox::Look(
    int64_t after_seq, int max_events,
    absl::FunctionRef<bool(absl::string_view type, absl::string_view channel)> wanted) {
  static const std::string* const sql = new std::string(
      absl::StrCat("SELECT ", kEventColumns, " FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?"));
  Window window;
  OMS_RETURN_IF_ERROR(db_->Read([&](Session& s) -> absl::Status {
    window = Window();
    window.through_seq = after_seq;
    int looked_at = 0;
    OMS_RETURN_IF_ERROR(CheckNotPruned(s, after_seq));
    OMS_RETURN_IF_ERROR(
        s.ForEachRow(*sql, {after_seq, max_events}, [&](const Rows& row) -> absl::Status {
          ++looked_at;
          window.through_seq = row.Int(0);
          // The payload column is fetched (and opened) only for a wanted event.
          if (!wanted(row.Text(2), row.Text(7))) return absl::OkStatus();
          return ReadEvent(row, window.events.emplace_back());
        }));
    window.full = looked_at == max_events;
    return absl::OkStatus();
  }));
  return window;
}

absl::Status Outbox::CheckNotPruned(Session& s, int64_t after_seq) {
  OMS_ASSIGN_OR_RETURN(int64_t pruned, PrunedThrough(s));
  if (after_seq >= pruned) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(
      "events of ", source_, " after seq ", after_seq, " up to ", pruned,
      " were deleted by retention before this reader got them: rebuild the reader from "
      "its source of truth, or move its cursor past ",
      pruned, " knowingly"));
}

absl::Status Outbox::ReadEvent(const Rows& row, events::v1::Event& event) {
  event.set_seq(row.Int(0));
  event.set_event_id(row.Text(1));
  event.set_type(row.Text(2));
  event.set_source(source_);
  event.set_aggregate_id(row.Text(3));
  *event.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row.Int(4));
  if (absl::Status opened = crypto::ParseOpened(row.Blob(5), event.mutable_payload());
      !opened.ok()) {
    return absl::Status(opened.code(),
                        absl::StrCat("outbox event ", row.Int(0), ": ", opened.message()));
  }
  event.set_traceparent(row.Text(6));
  event.set_channel(row.Text(7));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Outbox::LastSeq() {
  int64_t last = 0;
  OMS_RETURN_IF_ERROR(db_->Read([&](Session& s) {
    return s.ForEachRow("SELECT COALESCE(MAX(seq), 0) FROM outbox", {}, [&](const Rows& row) {
      last = row.Int(0);
      return absl::OkStatus();
    });
  }));
  return last;
}

absl::StatusOr<int64_t> Outbox::PrunedThrough(Session& s) {
  OMS_ASSIGN_OR_RETURN(Rows rows, s.Query("SELECT through_seq FROM outbox_pruned WHERE id = 1"));
  OMS_ASSIGN_OR_RETURN(bool found, rows.Next());
  return found ? rows.Int(0) : 0;
}

absl::StatusOr<int64_t> Outbox::PruneBefore(absl::Time cutoff, absl::Time readers_since) {
  int64_t pruned = 0;
  OMS_RETURN_IF_ERROR(db_->Transact([&](Session& s) -> absl::Status {
    const int64_t cutoff_us = absl::ToUnixMicros(cutoff);
    OMS_ASSIGN_OR_RETURN(std::optional<int64_t> slowest, SlowestReader(s, readers_since));
    // Only what every active reader has read may go.
    const int64_t limit = slowest.value_or(std::numeric_limits<int64_t>::max());
    OMS_ASSIGN_OR_RETURN(Rows newest, s.Query("SELECT COALESCE(MAX(seq), 0) FROM outbox "
                                              "WHERE occurred_at_us < ? AND seq <= ?",
                                              {cutoff_us, limit}));
    OMS_ASSIGN_OR_RETURN(bool row, newest.Next());
    const int64_t through = row ? newest.Int(0) : 0;
    OMS_ASSIGN_OR_RETURN(pruned, s.Exec("DELETE FROM outbox WHERE occurred_at_us < ? AND seq <= ?",
                                        {cutoff_us, limit}));
    OMS_ASSIGN_OR_RETURN(int64_t before, PrunedThrough(s));
    if (through <= before) return absl::OkStatus();
    return s
        .Exec(
            "INSERT INTO outbox_pruned(id, through_seq) VALUES(1, ?) "
            "ON CONFLICT(id) DO UPDATE SET through_seq = excluded.through_seq",
            {through})
        .status();
  }));
  return pruned;
}

}  // namespace oms
