#ifndef OMS_INVENTORY_SVC_CATALOGUE_H_
#define OMS_INVENTORY_SVC_CATALOGUE_H_

#include "absl/status/statusor.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

// Products (the SKU master) and warehouses: validation, create/update/get/list. Creating
// an existing sku or warehouse id is ALREADY_EXISTS; updating a missing one NOT_FOUND.
// Thread-safe.
class Catalogue {
 public:
  explicit Catalogue(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Product> CreateProduct(const v1::CreateProductRequest& request);
  absl::StatusOr<v1::Product> UpdateProduct(const v1::UpdateProductRequest& request);
  absl::StatusOr<v1::Product> GetProduct(const v1::GetProductRequest& request);
  absl::StatusOr<v1::ListProductsResponse> ListProducts(const v1::ListProductsRequest& request);

  absl::StatusOr<v1::Warehouse> CreateWarehouse(const v1::CreateWarehouseRequest& request);
  absl::StatusOr<v1::Warehouse> UpdateWarehouse(const v1::UpdateWarehouseRequest& request);
  absl::StatusOr<v1::Warehouse> GetWarehouse(const v1::GetWarehouseRequest& request);
  absl::StatusOr<v1::ListWarehousesResponse> ListWarehouses(
      const v1::ListWarehousesRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_CATALOGUE_H_
