#include "order_svc/order_history.h"

#include "absl/strings/str_cat.h"
#include "order_svc/order_store.h"
#include "order_svc/order_validation.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {

absl::StatusOr<v1::GetOrderHistoryResponse> OrderHistory::GetOrderHistory(
    const v1::GetOrderHistoryRequest& request) {
  OMS_RETURN_IF_ERROR(RequireOrderId(request.order_id()));
  v1::GetOrderHistoryResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::LoadOrder(s, request.order_id()).status());
    OMS_ASSIGN_OR_RETURN(std::vector<v1::StatusChange> changes,
                         store::StatusChanges(s, request.order_id()));
    for (auto& change : changes) *response.add_changes() = std::move(change);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetModificationHistoryResponse> OrderHistory::GetModificationHistory(
    const v1::GetModificationHistoryRequest& request) {
  OMS_RETURN_IF_ERROR(RequireOrderId(request.order_id()));
  v1::GetModificationHistoryResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::LoadOrder(s, request.order_id()).status());
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Modification> modifications,
                         store::Modifications(s, request.order_id()));
    for (auto& m : modifications) *response.add_modifications() = std::move(m);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::order
