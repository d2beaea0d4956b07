// An order's history as recorded with every change: its status changes (who, why, when)
// and its modifications (each field's old and new value). Thread-safe.
#ifndef OMS_ORDER_SVC_ORDER_HISTORY_H_
#define OMS_ORDER_SVC_ORDER_HISTORY_H_

#include "absl/status/statusor.h"
#include "oms/order/v1/order.pb.h"
#include "platform/server/service_host.h"

namespace oms::order {

class OrderHistory {
 public:
  explicit OrderHistory(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::GetOrderHistoryResponse> GetOrderHistory(
      const v1::GetOrderHistoryRequest& request);
  absl::StatusOr<v1::GetModificationHistoryResponse> GetModificationHistory(
      const v1::GetModificationHistoryRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_HISTORY_H_
