#include "order_svc/order_service.h"

#include "absl/strings/str_cat.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/call_context.h"
#include "platform/security/channel_scope.h"
#include "platform/security/request_limits.h"
#include "platform/server/service_info.h"

namespace oms::order {

// A key bound to a channel (ORDER_WRITER for one sales channel or ERP) creates orders of
// that channel only, and sees no other channel's orders: for it they do not exist.
absl::Status OrderService::CheckScope(const std::string& order_id) {
  const auth::Principal& caller = auth::CurrentPrincipal();
  if (caller.channel.empty()) return absl::OkStatus();
  v1::GetOrderRequest get;
  get.set_order_id(order_id);
  absl::StatusOr<v1::Order> order = book_.GetOrder(get);
  if (!order.ok()) return order.status();
  if (!auth::SeesChannel(caller, v1::Channel_Name(order->channel()))) {
    return absl::NotFoundError(absl::StrCat("order ", order_id, " not found"));
  }
  return absl::OkStatus();
}

grpc::Status OrderService::CreateOrder(grpc::ServerContext*, const v1::CreateOrderRequest* request,
                                       v1::Order* response) {
  absl::Status scope =
      auth::CheckChannel(auth::CurrentPrincipal(), v1::Channel_Name(request->channel()));
  if (!scope.ok()) return ToGrpcStatus(scope);
  return Serve(*request, response, [&] { return book_.CreateOrder(*request); });
}

grpc::Status OrderService::GetOrder(grpc::ServerContext*, const v1::GetOrderRequest* request,
                                    v1::Order* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return book_.GetOrder(*request); });
}

grpc::Status OrderService::ListOrders(grpc::ServerContext*, const v1::ListOrdersRequest* request,
                                      v1::ListOrdersResponse* response) {
  const auth::Principal& caller = auth::CurrentPrincipal();
  if (caller.channel.empty())
    return Serve(*request, response, [&] { return book_.ListOrders(*request); });
  // A channel-bound key lists its own channel: the filter is added, or must say just that.
  v1::ListOrdersRequest scoped = *request;
  v1::Channel own;
  if (!v1::Channel_Parse(caller.channel, &own)) {
    return ToGrpcStatus(absl::PermissionDeniedError("the key is bound to an unknown channel"));
  }
  for (int channel : request->channels()) {
    absl::Status scope = auth::CheckChannel(caller, v1::Channel_Name(channel));
    if (!scope.ok()) return ToGrpcStatus(scope);
  }
  if (scoped.channels().empty()) scoped.add_channels(own);
  return Serve(scoped, response, [&] { return book_.ListOrders(scoped); });
}

grpc::Status OrderService::GetOrderHistory(grpc::ServerContext*,
                                           const v1::GetOrderHistoryRequest* request,
                                           v1::GetOrderHistoryResponse* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return history_.GetOrderHistory(*request); });
}

grpc::Status OrderService::UpdateOrder(grpc::ServerContext*, const v1::UpdateOrderRequest* request,
                                       v1::Order* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  // An amendment after allocation is the orchestrator's: it moves the stock and labels too.
  const auth::Principal& caller = auth::CurrentPrincipal();
  if (request->workflow_amendment() && !caller.name.empty() && !caller.Has(security::v1::SERVICE)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "workflow_amendment: only the orchestrator sets it (use "
                        "oms.orchestrator.v1.OrchestratorService/AmendOrder)");
  }
  return Serve(*request, response, [&] { return changes_.UpdateOrder(*request); });
}

grpc::Status OrderService::GetModificationHistory(grpc::ServerContext*,
                                                  const v1::GetModificationHistoryRequest* request,
                                                  v1::GetModificationHistoryResponse* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return history_.GetModificationHistory(*request); });
}

grpc::Status OrderService::TransitionOrder(grpc::ServerContext*,
                                           const v1::TransitionOrderRequest* request,
                                           v1::Order* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return status_.TransitionOrder(*request); });
}

grpc::Status OrderService::CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest* request,
                                       v1::Order* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return status_.CancelOrder(*request); });
}

grpc::Status OrderService::SubstituteLine(grpc::ServerContext*,
                                          const v1::SubstituteLineRequest* request,
                                          v1::Order* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return changes_.SubstituteLine(*request); });
}

grpc::Status OrderService::RecordPayment(grpc::ServerContext*,
                                         const v1::RecordPaymentRequest* request,
                                         v1::Order* response) {
  if (absl::Status scope = CheckScope(request->order_id()); !scope.ok()) {
    return ToGrpcStatus(scope);
  }
  return Serve(*request, response, [&] { return payments_.RecordPayment(*request); });
}

grpc::Status OrderService::GetServiceInfo(grpc::ServerContext*,
                                          const common::v1::GetServiceInfoRequest*,
                                          common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::order
