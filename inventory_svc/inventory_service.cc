#include "inventory_svc/inventory_service.h"

#include "platform/info_only_service.h"
#include "platform/status.h"

namespace oms::inventory {

grpc::Status InventoryService::CreateProduct(grpc::ServerContext*,
                                             const v1::CreateProductRequest* request,
                                             v1::Product* response) {
  return Reply(catalogue_.CreateProduct(*request), response);
}

grpc::Status InventoryService::UpdateProduct(grpc::ServerContext*,
                                             const v1::UpdateProductRequest* request,
                                             v1::Product* response) {
  return Reply(catalogue_.UpdateProduct(*request), response);
}

grpc::Status InventoryService::GetProduct(grpc::ServerContext*,
                                          const v1::GetProductRequest* request,
                                          v1::Product* response) {
  return Reply(catalogue_.GetProduct(*request), response);
}

grpc::Status InventoryService::ListProducts(grpc::ServerContext*,
                                            const v1::ListProductsRequest* request,
                                            v1::ListProductsResponse* response) {
  return Reply(catalogue_.ListProducts(*request), response);
}

grpc::Status InventoryService::CreateWarehouse(grpc::ServerContext*,
                                               const v1::CreateWarehouseRequest* request,
                                               v1::Warehouse* response) {
  return Reply(catalogue_.CreateWarehouse(*request), response);
}

grpc::Status InventoryService::UpdateWarehouse(grpc::ServerContext*,
                                               const v1::UpdateWarehouseRequest* request,
                                               v1::Warehouse* response) {
  return Reply(catalogue_.UpdateWarehouse(*request), response);
}

grpc::Status InventoryService::GetWarehouse(grpc::ServerContext*,
                                            const v1::GetWarehouseRequest* request,
                                            v1::Warehouse* response) {
  return Reply(catalogue_.GetWarehouse(*request), response);
}

grpc::Status InventoryService::ListWarehouses(grpc::ServerContext*,
                                              const v1::ListWarehousesRequest* request,
                                              v1::ListWarehousesResponse* response) {
  return Reply(catalogue_.ListWarehouses(*request), response);
}

grpc::Status InventoryService::GetStock(grpc::ServerContext*, const v1::GetStockRequest* request,
                                        v1::StockSummary* response) {
  return Reply(stock_.GetStock(*request), response);
}

grpc::Status InventoryService::ListStock(grpc::ServerContext*, const v1::ListStockRequest* request,
                                         v1::ListStockResponse* response) {
  return Reply(stock_.ListStock(*request), response);
}

grpc::Status InventoryService::AdjustStock(grpc::ServerContext*,
                                           const v1::AdjustStockRequest* request,
                                           v1::AdjustStockResponse* response) {
  return Reply(stock_.AdjustStock(*request), response);
}

grpc::Status InventoryService::ListAdjustments(grpc::ServerContext*,
                                               const v1::ListAdjustmentsRequest* request,
                                               v1::ListAdjustmentsResponse* response) {
  return Reply(stock_.ListAdjustments(*request), response);
}

grpc::Status InventoryService::Allocate(grpc::ServerContext*, const v1::AllocateRequest* request,
                                        v1::Allocation* response) {
  return Reply(stock_.Allocate(*request), response);
}

grpc::Status InventoryService::GetAllocation(grpc::ServerContext*,
                                             const v1::GetAllocationRequest* request,
                                             v1::Allocation* response) {
  return Reply(stock_.GetAllocation(*request), response);
}

grpc::Status InventoryService::Release(grpc::ServerContext*, const v1::ReleaseRequest* request,
                                       v1::ReleaseResponse* response) {
  return Reply(stock_.Release(*request), response);
}

grpc::Status InventoryService::Commit(grpc::ServerContext*, const v1::CommitRequest* request,
                                      v1::CommitResponse* response) {
  return Reply(stock_.Commit(*request), response);
}

grpc::Status InventoryService::ListReservations(grpc::ServerContext*,
                                                const v1::ListReservationsRequest* request,
                                                v1::ListReservationsResponse* response) {
  return Reply(stock_.ListReservations(*request), response);
}

grpc::Status InventoryService::ExpireReservations(grpc::ServerContext*,
                                                  const v1::ExpireReservationsRequest*,
                                                  v1::ExpireReservationsResponse* response) {
  return Reply(stock_.ExpireReservations(), response);
}

grpc::Status InventoryService::ListBackorders(grpc::ServerContext*,
                                              const v1::ListBackordersRequest* request,
                                              v1::ListBackordersResponse* response) {
  return Reply(stock_.ListBackorders(*request), response);
}

grpc::Status InventoryService::CheckInvariants(grpc::ServerContext*,
                                               const v1::CheckInvariantsRequest*,
                                               v1::CheckInvariantsResponse* response) {
  return Reply(stock_.CheckInvariants(), response);
}

grpc::Status InventoryService::GetReplenishmentSuggestions(
    grpc::ServerContext*, const v1::GetReplenishmentSuggestionsRequest* request,
    v1::GetReplenishmentSuggestionsResponse* response) {
  return Reply(stock_.GetReplenishmentSuggestions(*request), response);
}

grpc::Status InventoryService::AmendAllocation(grpc::ServerContext*,
                                               const v1::AmendAllocationRequest* request,
                                               v1::Allocation* response) {
  return Reply(stock_.AmendAllocation(*request), response);
}

grpc::Status InventoryService::GetServiceInfo(grpc::ServerContext*,
                                              const common::v1::GetServiceInfoRequest*,
                                              common::v1::ServiceInfo* response) {
  return ServeServiceInfo(*host_, response);
}

}  // namespace oms::inventory
