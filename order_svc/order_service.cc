#include "order_svc/order_service.h"

#include "platform/info_only_service.h"
#include "platform/status.h"

namespace oms::order {

grpc::Status OrderService::CreateOrder(grpc::ServerContext*, const v1::CreateOrderRequest* request,
                                       v1::Order* response) {
  return Reply(book_.CreateOrder(*request), response);
}

grpc::Status OrderService::GetOrder(grpc::ServerContext*, const v1::GetOrderRequest* request,
                                    v1::Order* response) {
  return Reply(book_.GetOrder(*request), response);
}

grpc::Status OrderService::ListOrders(grpc::ServerContext*, const v1::ListOrdersRequest* request,
                                      v1::ListOrdersResponse* response) {
  return Reply(book_.ListOrders(*request), response);
}

grpc::Status OrderService::GetOrderHistory(grpc::ServerContext*,
                                           const v1::GetOrderHistoryRequest* request,
                                           v1::GetOrderHistoryResponse* response) {
  return Reply(book_.GetOrderHistory(*request), response);
}

grpc::Status OrderService::UpdateOrder(grpc::ServerContext*, const v1::UpdateOrderRequest* request,
                                       v1::Order* response) {
  return Reply(book_.UpdateOrder(*request), response);
}

grpc::Status OrderService::GetModificationHistory(grpc::ServerContext*,
                                                  const v1::GetModificationHistoryRequest* request,
                                                  v1::GetModificationHistoryResponse* response) {
  return Reply(book_.GetModificationHistory(*request), response);
}

grpc::Status OrderService::TransitionOrder(grpc::ServerContext*,
                                           const v1::TransitionOrderRequest* request,
                                           v1::Order* response) {
  return Reply(book_.TransitionOrder(*request), response);
}

grpc::Status OrderService::CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest* request,
                                       v1::Order* response) {
  return Reply(book_.CancelOrder(*request), response);
}

grpc::Status OrderService::SubstituteLine(grpc::ServerContext*,
                                          const v1::SubstituteLineRequest* request,
                                          v1::Order* response) {
  return Reply(book_.SubstituteLine(*request), response);
}

grpc::Status OrderService::RecordPayment(grpc::ServerContext*,
                                         const v1::RecordPaymentRequest* request,
                                         v1::Order* response) {
  return Reply(book_.RecordPayment(*request), response);
}

grpc::Status OrderService::GetServiceInfo(grpc::ServerContext*,
                                          const common::v1::GetServiceInfoRequest*,
                                          common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::order
