#include "platform/events/event_feed_service.h"

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/security/request_limits.h"

namespace oms {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;
constexpr int kWatchBatch = 200;
// How often a waiting watcher re-checks whether its caller went away.
constexpr absl::Duration kWatchTick = absl::Milliseconds(250);

// Who reads, for retention: the caller's key (a service, an integration); "anonymous" on a
// server without keys (tests).
std::string ReaderName() {
  const std::string& name = auth::CurrentPrincipal().name;
  return name.empty() ? "anonymous" : name;
}

absl::Status CheckCursor(int64_t after_seq, FieldErrors& errors) {
  errors.Check(after_seq >= 0, "after_seq", "must be >= 0");
  return errors.ToStatus();
}

}  // namespace

grpc::Status EventFeedService::ListEvents(grpc::ServerContext*,
                                          const events::v1::ListEventsRequest* request,
                                          events::v1::ListEventsResponse* response) {
  if (absl::Status limits = CheckRequestLimits(*request); !limits.ok()) return ToGrpcStatus(limits);
  FieldErrors errors;
  errors.Check(request->limit() >= 0 && request->limit() <= kMaxLimit, "limit",
               "must be between 0 and 1000");
  if (absl::Status s = CheckCursor(request->after_seq(), errors); !s.ok()) {
    return ToGrpcStatus(s);
  }
  int limit = request->limit() == 0 ? kDefaultLimit : request->limit();
  std::vector<std::string> types(request->types().begin(), request->types().end());
  absl::StatusOr<int64_t> last = outbox_->LastSeq();
  if (!last.ok()) return ToGrpcStatus(last.status());
  outbox_->NoteReader(ReaderName(), request->after_seq());
  absl::StatusOr<std::vector<events::v1::Event>> events =
      outbox_->List(request->after_seq(), limit, types, auth::CurrentPrincipal().channel);
  if (!events.ok()) return ToGrpcStatus(events.status());
  for (events::v1::Event& event : *events) *response->add_events() = std::move(event);
  response->set_last_seq(*last);
  return grpc::Status::OK;
}

grpc::Status EventFeedService::WatchEvents(grpc::ServerContext* context,
                                           const events::v1::WatchEventsRequest* request,
                                           grpc::ServerWriter<events::v1::Event>* writer) {
  if (absl::Status limits = CheckRequestLimits(*request); !limits.ok()) return ToGrpcStatus(limits);
  FieldErrors errors;
  if (absl::Status s = CheckCursor(request->after_seq(), errors); !s.ok()) {
    return ToGrpcStatus(s);
  }
  std::vector<std::string> types(request->types().begin(), request->types().end());
  // A key bound to a sales channel reads only that channel's events.
  const std::string channel = auth::CurrentPrincipal().channel;
  int64_t cursor = request->after_seq();
  const std::string reader = ReaderName();
  while (!context->IsCancelled()) {
    outbox_->NoteReader(reader, cursor);
    // Read the generation first: a commit after this point wakes the wait below.
    uint64_t generation = outbox_->commits().Generation();
    absl::StatusOr<std::vector<events::v1::Event>> events =
        outbox_->List(cursor, kWatchBatch, types, channel);
    if (!events.ok()) return ToGrpcStatus(events.status());
    for (const events::v1::Event& event : *events) {
      if (!writer->Write(event)) return grpc::Status::OK;  // the caller went away
      cursor = event.seq();
    }
    if (static_cast<int>(events->size()) == kWatchBatch) continue;  // more to replay
    if (!outbox_->commits().WaitForChange(generation, kWatchTick)) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down");
    }
    if (linger_ > absl::ZeroDuration() && outbox_->commits().Generation() != generation) {
      absl::SleepFor(linger_);
    }
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled by the caller");
}

}  // namespace oms
