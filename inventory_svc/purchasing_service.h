#ifndef OMS_INVENTORY_SVC_PURCHASING_SERVICE_H_
#define OMS_INVENTORY_SVC_PURCHASING_SERVICE_H_

#include "inventory_svc/purchase_orders.h"
#include "inventory_svc/suppliers.h"
#include "oms/inventory/v1/purchasing.grpc.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

// gRPC adapter of oms.inventory.v1.PurchasingService, served by inventory_svc beside
// InventoryService: each method is one call into suppliers or purchase orders. Receipts go
// through the same stock ledger as InventoryService's. Thread-safe.
class PurchasingService final : public v1::PurchasingService::Service {
 public:
  PurchasingService(ServiceHost* host, StockLedger* ledger, Replenishment* replenishment,
                    auth::ApprovalLimits limits)
      : suppliers_(host), orders_(host, ledger, replenishment, std::move(limits)) {}

  PurchaseOrders& orders() { return orders_; }
  grpc::Status SaveSupplier(grpc::ServerContext*, const v1::SaveSupplierRequest* request,
                            v1::Supplier* response) override;
  grpc::Status GetSupplier(grpc::ServerContext*, const v1::GetSupplierRequest* request,
                           v1::Supplier* response) override;
  grpc::Status ListSuppliers(grpc::ServerContext*, const v1::ListSuppliersRequest* request,
                             v1::ListSuppliersResponse* response) override;
  grpc::Status DraftPurchaseOrders(grpc::ServerContext*,
                                   const v1::DraftPurchaseOrdersRequest* request,
                                   v1::DraftPurchaseOrdersResponse* response) override;
  grpc::Status GetPurchaseOrder(grpc::ServerContext*, const v1::GetPurchaseOrderRequest* request,
                                v1::PurchaseOrder* response) override;
  grpc::Status ListPurchaseOrders(grpc::ServerContext*,
                                  const v1::ListPurchaseOrdersRequest* request,
                                  v1::ListPurchaseOrdersResponse* response) override;
  grpc::Status ApprovePurchaseOrder(grpc::ServerContext*,
                                    const v1::ApprovePurchaseOrderRequest* request,
                                    v1::PurchaseOrder* response) override;
  grpc::Status SendPurchaseOrder(grpc::ServerContext*, const v1::SendPurchaseOrderRequest* request,
                                 v1::PurchaseOrder* response) override;
  grpc::Status ReceivePurchaseOrder(grpc::ServerContext*,
                                    const v1::ReceivePurchaseOrderRequest* request,
                                    v1::ReceivePurchaseOrderResponse* response) override;
  grpc::Status CancelPurchaseOrder(grpc::ServerContext*,
                                   const v1::CancelPurchaseOrderRequest* request,
                                   v1::PurchaseOrder* response) override;
  grpc::Status ClosePurchaseOrder(grpc::ServerContext*,
                                  const v1::ClosePurchaseOrderRequest* request,
                                  v1::PurchaseOrder* response) override;
  grpc::Status FlagOverduePurchaseOrders(grpc::ServerContext*,
                                         const v1::FlagOverduePurchaseOrdersRequest* request,
                                         v1::FlagOverduePurchaseOrdersResponse* response) override;

 private:
  Suppliers suppliers_;
  PurchaseOrders orders_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_PURCHASING_SERVICE_H_
