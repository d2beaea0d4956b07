// Suppliers and what each supplies (sku, unit cost, minimum order quantity, pack size,
// lead time): the terms purchase-order drafts are made on. Thread-safe.
#ifndef OMS_INVENTORY_SVC_SUPPLIERS_H_
#define OMS_INVENTORY_SVC_SUPPLIERS_H_

#include "absl/status/statusor.h"
#include "oms/inventory/v1/purchasing.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class Suppliers {
 public:
  explicit Suppliers(ServiceHost* host) : host_(host) {}

  // Creates or replaces a supplier; every sku it supplies must be a product.
  absl::StatusOr<v1::Supplier> Save(const v1::SaveSupplierRequest& request);
  absl::StatusOr<v1::Supplier> Get(const v1::GetSupplierRequest& request);
  absl::StatusOr<v1::ListSuppliersResponse> List(const v1::ListSuppliersRequest& request);

 private:
  ServiceHost* host_;
};

// The quantity to order of a suggested amount under `term`: at least the minimum order
// quantity, then rounded up to whole packs.
int64_t RoundToTerms(int64_t suggested, const v1::SupplyTerm& term);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_SUPPLIERS_H_
