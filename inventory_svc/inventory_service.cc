#include "inventory_svc/inventory_service.h"

#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/request_limits.h"
#include "platform/server/service_info.h"

namespace oms::inventory {

grpc::Status InventoryService::CreateProduct(grpc::ServerContext*,
                                             const v1::CreateProductRequest* request,
                                             v1::Product* response) {
  return Serve(*request, response, [&] { return catalogue_.CreateProduct(*request); });
}

grpc::Status InventoryService::UpdateProduct(grpc::ServerContext*,
                                             const v1::UpdateProductRequest* request,
                                             v1::Product* response) {
  return Serve(*request, response, [&] { return catalogue_.UpdateProduct(*request); });
}

grpc::Status InventoryService::GetProduct(grpc::ServerContext*,
                                          const v1::GetProductRequest* request,
                                          v1::Product* response) {
  return Serve(*request, response, [&] { return catalogue_.GetProduct(*request); });
}

grpc::Status InventoryService::ListProducts(grpc::ServerContext*,
                                            const v1::ListProductsRequest* request,
                                            v1::ListProductsResponse* response) {
  return Serve(*request, response, [&] { return catalogue_.ListProducts(*request); });
}

grpc::Status InventoryService::CreateWarehouse(grpc::ServerContext*,
                                               const v1::CreateWarehouseRequest* request,
                                               v1::Warehouse* response) {
  return Serve(*request, response, [&] { return catalogue_.CreateWarehouse(*request); });
}

grpc::Status InventoryService::UpdateWarehouse(grpc::ServerContext*,
                                               const v1::UpdateWarehouseRequest* request,
                                               v1::Warehouse* response) {
  return Serve(*request, response, [&] { return catalogue_.UpdateWarehouse(*request); });
}

grpc::Status InventoryService::GetWarehouse(grpc::ServerContext*,
                                            const v1::GetWarehouseRequest* request,
                                            v1::Warehouse* response) {
  return Serve(*request, response, [&] { return catalogue_.GetWarehouse(*request); });
}

grpc::Status InventoryService::ListWarehouses(grpc::ServerContext*,
                                              const v1::ListWarehousesRequest* request,
                                              v1::ListWarehousesResponse* response) {
  return Serve(*request, response, [&] { return catalogue_.ListWarehouses(*request); });
}

grpc::Status InventoryService::GetStock(grpc::ServerContext*, const v1::GetStockRequest* request,
                                        v1::StockSummary* response) {
  return Serve(*request, response, [&] { return ledger_.GetStock(*request); });
}

grpc::Status InventoryService::ListStock(grpc::ServerContext*, const v1::ListStockRequest* request,
                                         v1::ListStockResponse* response) {
  return Serve(*request, response, [&] { return ledger_.ListStock(*request); });
}

grpc::Status InventoryService::AdjustStock(grpc::ServerContext*,
                                           const v1::AdjustStockRequest* request,
                                           v1::AdjustStockResponse* response) {
  return Serve(*request, response, [&] { return ledger_.AdjustStock(*request); });
}

grpc::Status InventoryService::ListAdjustments(grpc::ServerContext*,
                                               const v1::ListAdjustmentsRequest* request,
                                               v1::ListAdjustmentsResponse* response) {
  return Serve(*request, response, [&] { return ledger_.ListAdjustments(*request); });
}

grpc::Status InventoryService::Allocate(grpc::ServerContext*, const v1::AllocateRequest* request,
                                        v1::Allocation* response) {
  return Serve(*request, response, [&] { return allocations_.Allocate(*request); });
}

grpc::Status InventoryService::GetAllocation(grpc::ServerContext*,
                                             const v1::GetAllocationRequest* request,
                                             v1::Allocation* response) {
  return Serve(*request, response, [&] { return allocations_.GetAllocation(*request); });
}

grpc::Status InventoryService::Release(grpc::ServerContext*, const v1::ReleaseRequest* request,
                                       v1::ReleaseResponse* response) {
  return Serve(*request, response, [&] { return allocations_.Release(*request); });
}

grpc::Status InventoryService::Commit(grpc::ServerContext*, const v1::CommitRequest* request,
                                      v1::CommitResponse* response) {
  return Serve(*request, response, [&] { return reservations_.Commit(*request); });
}

grpc::Status InventoryService::ListReservations(grpc::ServerContext*,
                                                const v1::ListReservationsRequest* request,
                                                v1::ListReservationsResponse* response) {
  return Serve(*request, response, [&] { return reservations_.List(*request); });
}

grpc::Status InventoryService::ExpireReservations(grpc::ServerContext*,
                                                  const v1::ExpireReservationsRequest*,
                                                  v1::ExpireReservationsResponse* response) {
  return Reply(allocations_.ExpireReservations(), response);
}

grpc::Status InventoryService::ListBackorders(grpc::ServerContext*,
                                              const v1::ListBackordersRequest* request,
                                              v1::ListBackordersResponse* response) {
  return Serve(*request, response, [&] { return queue_.List(*request); });
}

grpc::Status InventoryService::CheckInvariants(grpc::ServerContext*,
                                               const v1::CheckInvariantsRequest*,
                                               v1::CheckInvariantsResponse* response) {
  return Reply(ledger_.CheckInvariants(), response);
}

grpc::Status InventoryService::GetReplenishmentSuggestions(
    grpc::ServerContext*, const v1::GetReplenishmentSuggestionsRequest* request,
    v1::GetReplenishmentSuggestionsResponse* response) {
  return Serve(*request, response, [&] { return replenishment_.Suggest(*request); });
}

grpc::Status InventoryService::AmendAllocation(grpc::ServerContext*,
                                               const v1::AmendAllocationRequest* request,
                                               v1::Allocation* response) {
  return Serve(*request, response, [&] { return allocations_.AmendAllocation(*request); });
}

grpc::Status InventoryService::GetServiceInfo(grpc::ServerContext*,
                                              const common::v1::GetServiceInfoRequest*,
                                              common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

grpc::Status InventoryService::PromiseStock(grpc::ServerContext*,
                                            const v1::PromiseStockRequest* request,
                                            v1::PromiseStockResponse* response) {
  return Serve(*request, response, [&] { return promise_.Promise(*request); });
}

}  // namespace oms::inventory
