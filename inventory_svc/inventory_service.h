#ifndef OMS_INVENTORY_SVC_INVENTORY_SERVICE_H_
#define OMS_INVENTORY_SVC_INVENTORY_SERVICE_H_

#include "inventory_svc/allocations.h"
#include "inventory_svc/backorder_queue.h"
#include "inventory_svc/catalogue.h"
#include "inventory_svc/replenishment.h"
#include "inventory_svc/reservations.h"
#include "inventory_svc/stock_ledger.h"
#include "inventory_svc/stock_promise.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

// gRPC adapter of oms.inventory.v1.InventoryService: each method is one call into the
// concept that owns it (catalogue, stock ledger, allocations, reservations, backorder queue,
// replenishment) and one status mapping. Thread-safe.
class InventoryService final : public v1::InventoryService::Service {
 public:
  explicit InventoryService(ServiceHost* host)
      : host_(host),
        catalogue_(host),
        reservations_(host),
        queue_(host, &reservations_),
        replenishment_(host),
        ledger_(host, &queue_, &replenishment_),
        allocations_(host, &reservations_, &queue_, &replenishment_),
        promise_(host) {}

  Allocations& allocations() { return allocations_; }
  StockLedger& ledger() { return ledger_; }
  Replenishment& replenishment() { return replenishment_; }
  grpc::Status CreateProduct(grpc::ServerContext*, const v1::CreateProductRequest* request,
                             v1::Product* response) override;
  grpc::Status UpdateProduct(grpc::ServerContext*, const v1::UpdateProductRequest* request,
                             v1::Product* response) override;
  grpc::Status GetProduct(grpc::ServerContext*, const v1::GetProductRequest* request,
                          v1::Product* response) override;
  grpc::Status ListProducts(grpc::ServerContext*, const v1::ListProductsRequest* request,
                            v1::ListProductsResponse* response) override;
  grpc::Status CreateWarehouse(grpc::ServerContext*, const v1::CreateWarehouseRequest* request,
                               v1::Warehouse* response) override;
  grpc::Status UpdateWarehouse(grpc::ServerContext*, const v1::UpdateWarehouseRequest* request,
                               v1::Warehouse* response) override;
  grpc::Status GetWarehouse(grpc::ServerContext*, const v1::GetWarehouseRequest* request,
                            v1::Warehouse* response) override;
  grpc::Status ListWarehouses(grpc::ServerContext*, const v1::ListWarehousesRequest* request,
                              v1::ListWarehousesResponse* response) override;
  grpc::Status GetStock(grpc::ServerContext*, const v1::GetStockRequest* request,
                        v1::StockSummary* response) override;
  grpc::Status ListStock(grpc::ServerContext*, const v1::ListStockRequest* request,
                         v1::ListStockResponse* response) override;
  grpc::Status AdjustStock(grpc::ServerContext*, const v1::AdjustStockRequest* request,
                           v1::AdjustStockResponse* response) override;
  grpc::Status ListAdjustments(grpc::ServerContext*, const v1::ListAdjustmentsRequest* request,
                               v1::ListAdjustmentsResponse* response) override;
  grpc::Status Allocate(grpc::ServerContext*, const v1::AllocateRequest* request,
                        v1::Allocation* response) override;
  grpc::Status GetAllocation(grpc::ServerContext*, const v1::GetAllocationRequest* request,
                             v1::Allocation* response) override;
  grpc::Status Release(grpc::ServerContext*, const v1::ReleaseRequest* request,
                       v1::ReleaseResponse* response) override;
  grpc::Status Commit(grpc::ServerContext*, const v1::CommitRequest* request,
                      v1::CommitResponse* response) override;
  grpc::Status ListReservations(grpc::ServerContext*, const v1::ListReservationsRequest* request,
                                v1::ListReservationsResponse* response) override;
  grpc::Status ExpireReservations(grpc::ServerContext*,
                                  const v1::ExpireReservationsRequest* request,
                                  v1::ExpireReservationsResponse* response) override;
  grpc::Status ListBackorders(grpc::ServerContext*, const v1::ListBackordersRequest* request,
                              v1::ListBackordersResponse* response) override;
  grpc::Status PromiseStock(grpc::ServerContext*, const v1::PromiseStockRequest* request,
                            v1::PromiseStockResponse* response) override;
  grpc::Status CheckInvariants(grpc::ServerContext*, const v1::CheckInvariantsRequest* request,
                               v1::CheckInvariantsResponse* response) override;
  grpc::Status GetReplenishmentSuggestions(
      grpc::ServerContext*, const v1::GetReplenishmentSuggestionsRequest* request,
      v1::GetReplenishmentSuggestionsResponse* response) override;
  grpc::Status AmendAllocation(grpc::ServerContext*, const v1::AmendAllocationRequest* request,
                               v1::Allocation* response) override;
  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override;

 private:
  ServiceHost* host_;
  Catalogue catalogue_;
  Reservations reservations_;
  BackorderQueue queue_;
  Replenishment replenishment_;
  StockLedger ledger_;
  Allocations allocations_;
  StockPromise promise_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_INVENTORY_SERVICE_H_
