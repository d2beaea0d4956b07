#include "platform/events/event_feed_service.h"

#include <string>
#include <vector>

#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/security/request_limits.h"

namespace oms {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

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

absl::StatusOr<FeedWatch> EventFeedService::WatchOf(const events::v1::WatchEventsRequest& request) {
  // The call tracker made this call current on this thread before the handler. The stream
  // holds the thread for hours: the call is read here and let go, so that nothing the thread
  // does later is taken for the caller's.
  FeedWatch watch;
  watch.after_seq = request.after_seq();
  watch.types.assign(request.types().begin(), request.types().end());
  // A key bound to a sales channel reads only that channel's events.
  watch.channel = auth::CurrentPrincipal().channel;
  watch.reader = ReaderName();
  auth::LeaveCurrentCall();

  OMS_RETURN_IF_ERROR(CheckRequestLimits(request));
  FieldErrors errors;
  OMS_RETURN_IF_ERROR(CheckCursor(request.after_seq(), errors));
  return watch;
}

grpc::Status EventFeedService::WatchEvents(grpc::ServerContext* context,
                                           const events::v1::WatchEventsRequest* request,
                                           grpc::ServerWriter<events::v1::Event>* writer) {
  absl::StatusOr<FeedWatch> watch = WatchOf(*request);
  if (!watch.ok()) return ToGrpcStatus(watch.status());
  return watchers_.Serve(*std::move(watch), context, writer);
}

grpc::Status EventFeedService::WatchEventBatches(
    grpc::ServerContext* context, const events::v1::WatchEventsRequest* request,
    grpc::ServerWriter<events::v1::EventBatch>* writer) {
  absl::StatusOr<FeedWatch> watch = WatchOf(*request);
  if (!watch.ok()) return ToGrpcStatus(watch.status());
  return watchers_.Serve(*std::move(watch), context, writer);
}

}  // namespace oms
