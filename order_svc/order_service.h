#ifndef OMS_ORDER_SVC_ORDER_SERVICE_H_
#define OMS_ORDER_SVC_ORDER_SERVICE_H_

#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/order_book.h"
#include "order_svc/order_changes.h"
#include "order_svc/order_history.h"
#include "order_svc/order_status.h"
#include "order_svc/payments.h"
#include "platform/server/service_host.h"

namespace oms::order {

// gRPC adapter of oms.order.v1.OrderService: each method is one call into the concept that
// owns it (book, history, changes, status, payments) and one status mapping. Thread-safe.
class OrderService final : public v1::OrderService::Service {
 public:
  explicit OrderService(ServiceHost* host)
      : host_(host), book_(host), history_(host), changes_(host), status_(host), payments_(host) {}

  grpc::Status CreateOrder(grpc::ServerContext*, const v1::CreateOrderRequest* request,
                           v1::Order* response) override;
  grpc::Status GetOrder(grpc::ServerContext*, const v1::GetOrderRequest* request,
                        v1::Order* response) override;
  grpc::Status ListOrders(grpc::ServerContext*, const v1::ListOrdersRequest* request,
                          v1::ListOrdersResponse* response) override;
  grpc::Status GetOrderHistory(grpc::ServerContext*, const v1::GetOrderHistoryRequest* request,
                               v1::GetOrderHistoryResponse* response) override;
  grpc::Status UpdateOrder(grpc::ServerContext*, const v1::UpdateOrderRequest* request,
                           v1::Order* response) override;
  grpc::Status GetModificationHistory(grpc::ServerContext*,
                                      const v1::GetModificationHistoryRequest* request,
                                      v1::GetModificationHistoryResponse* response) override;
  grpc::Status TransitionOrder(grpc::ServerContext*, const v1::TransitionOrderRequest* request,
                               v1::Order* response) override;
  grpc::Status CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest* request,
                           v1::Order* response) override;
  grpc::Status SubstituteLine(grpc::ServerContext*, const v1::SubstituteLineRequest* request,
                              v1::Order* response) override;
  grpc::Status RecordPayment(grpc::ServerContext*, const v1::RecordPaymentRequest* request,
                             v1::Order* response) override;
  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override;

 private:
  // NOT_FOUND when a channel-bound caller asks about another channel's order.
  absl::Status CheckScope(const std::string& order_id);

  ServiceHost* host_;
  OrderBook book_;
  OrderHistory history_;
  OrderChanges changes_;
  OrderStatusChanges status_;
  Payments payments_;
};

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_SERVICE_H_
