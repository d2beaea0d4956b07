#include "notify_svc/inbox.h"

#include "absl/strings/str_cat.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {

absl::StatusOr<v1::ListInboxResponse> Inbox::List(const v1::ListInboxRequest& request) {
  FieldErrors errors;
  errors.Required(request.in_app_id(), "in_app_id");
  errors.Check(request.limit() >= 0 && request.limit() <= 1000, "limit",
               "must be between 0 and 1000");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ListInboxResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::InboxItem> items,
                         store::Inbox(s, request.in_app_id(), request.unread_only(),
                                      request.limit() == 0 ? 100 : request.limit()));
    for (auto& item : items) *response.add_items() = std::move(item);
    OMS_ASSIGN_OR_RETURN(int64_t unread, store::UnreadCount(s, request.in_app_id()));
    response.set_unread(unread);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::MarkReadResponse> Inbox::MarkRead(const v1::MarkReadRequest& request) {
  FieldErrors errors;
  errors.Required(request.in_app_id(), "in_app_id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::MarkReadResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(int64_t marked, store::MarkRead(s, request.in_app_id(),
                                                         {request.message_ids().begin(),
                                                          request.message_ids().end()}));
    response.set_marked(marked);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::notify
