#include "inventory_svc/purchasing_service.h"

#include "platform/security/request_limits.h"

namespace oms::inventory {

grpc::Status PurchasingService::SaveSupplier(grpc::ServerContext*,
                                             const v1::SaveSupplierRequest* request,
                                             v1::Supplier* response) {
  return Serve(*request, response, [&] { return suppliers_.Save(*request); });
}

grpc::Status PurchasingService::GetSupplier(grpc::ServerContext*,
                                            const v1::GetSupplierRequest* request,
                                            v1::Supplier* response) {
  return Serve(*request, response, [&] { return suppliers_.Get(*request); });
}

grpc::Status PurchasingService::ListSuppliers(grpc::ServerContext*,
                                              const v1::ListSuppliersRequest* request,
                                              v1::ListSuppliersResponse* response) {
  return Serve(*request, response, [&] { return suppliers_.List(*request); });
}

grpc::Status PurchasingService::DraftPurchaseOrders(grpc::ServerContext*,
                                                    const v1::DraftPurchaseOrdersRequest* request,
                                                    v1::DraftPurchaseOrdersResponse* response) {
  return Serve(*request, response, [&] { return orders_.Draft(*request); });
}

grpc::Status PurchasingService::GetPurchaseOrder(grpc::ServerContext*,
                                                 const v1::GetPurchaseOrderRequest* request,
                                                 v1::PurchaseOrder* response) {
  return Serve(*request, response, [&] { return orders_.Get(*request); });
}

grpc::Status PurchasingService::ListPurchaseOrders(grpc::ServerContext*,
                                                   const v1::ListPurchaseOrdersRequest* request,
                                                   v1::ListPurchaseOrdersResponse* response) {
  return Serve(*request, response, [&] { return orders_.List(*request); });
}

grpc::Status PurchasingService::ApprovePurchaseOrder(grpc::ServerContext*,
                                                     const v1::ApprovePurchaseOrderRequest* request,
                                                     v1::PurchaseOrder* response) {
  return Serve(*request, response, [&] { return orders_.Approve(*request); });
}

grpc::Status PurchasingService::SendPurchaseOrder(grpc::ServerContext*,
                                                  const v1::SendPurchaseOrderRequest* request,
                                                  v1::PurchaseOrder* response) {
  return Serve(*request, response, [&] { return orders_.Send(*request); });
}

grpc::Status PurchasingService::ReceivePurchaseOrder(grpc::ServerContext*,
                                                     const v1::ReceivePurchaseOrderRequest* request,
                                                     v1::ReceivePurchaseOrderResponse* response) {
  return Serve(*request, response, [&] { return orders_.Receive(*request); });
}

grpc::Status PurchasingService::CancelPurchaseOrder(grpc::ServerContext*,
                                                    const v1::CancelPurchaseOrderRequest* request,
                                                    v1::PurchaseOrder* response) {
  return Serve(*request, response, [&] { return orders_.Cancel(*request); });
}

grpc::Status PurchasingService::ClosePurchaseOrder(grpc::ServerContext*,
                                                   const v1::ClosePurchaseOrderRequest* request,
                                                   v1::PurchaseOrder* response) {
  return Serve(*request, response, [&] { return orders_.Close(*request); });
}

grpc::Status PurchasingService::FlagOverduePurchaseOrders(
    grpc::ServerContext*, const v1::FlagOverduePurchaseOrdersRequest* request,
    v1::FlagOverduePurchaseOrdersResponse* response) {
  return Serve(*request, response, [&] { return orders_.FlagOverdue(); });
}

}  // namespace oms::inventory
