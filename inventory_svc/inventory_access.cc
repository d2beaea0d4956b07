#include "inventory_svc/inventory_access.h"

namespace oms::inventory {
namespace {

using namespace auth::access_table;  // NOLINT(build/namespaces): the table's vocabulary

const std::vector<Role> kStaffReaders = {OPS, CUSTOMER_SERVICE, READER, SERVICE};
const std::vector<Role> kCatalogueReaders = {OPS, CUSTOMER_SERVICE, READER, SERVICE, ORDER_WRITER};

}  // namespace

const auth::AccessPolicy& InventoryAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.inventory.v1.InventoryService",
      {
          // Catalogue and warehouses are OPS's; reservations are the orchestrator's (SERVICE) and
          // OPS's; channels may read products and stock to show availability.
          {"CreateProduct", Access::kWrite, {OPS}},
          {"UpdateProduct", Access::kWrite, {OPS}},
          {"GetProduct", Access::kRead, kCatalogueReaders},
          {"ListProducts", Access::kRead, kCatalogueReaders},
          {"CreateWarehouse", Access::kWrite, {OPS}},
          {"UpdateWarehouse", Access::kWrite, {OPS}},
          {"GetWarehouse", Access::kRead, kStaffReaders},
          {"ListWarehouses", Access::kRead, kStaffReaders},
          {"GetStock", Access::kRead, kCatalogueReaders},
          {"ListStock", Access::kRead, kCatalogueReaders},
          {"AdjustStock", Access::kWrite, {OPS, SERVICE}},
          {"ListAdjustments", Access::kRead, kStaffReaders},
          {"Allocate", Access::kWrite, {OPS, SERVICE}},
          {"GetAllocation", Access::kRead, kStaffReaders},
          {"Release", Access::kWrite, {OPS, SERVICE}},
          {"AmendAllocation", Access::kWrite, {OPS, SERVICE}},
          {"Commit", Access::kWrite, {OPS, SERVICE}},
          {"ListReservations", Access::kRead, kStaffReaders},
          {"ExpireReservations", Access::kWrite, {OPS}},
          {"ListBackorders", Access::kRead, kStaffReaders},
          {"PromiseStock", Access::kRead, kCatalogueReaders},
          {"CheckInvariants", Access::kRead, {OPS, READER}},
          {"GetReplenishmentSuggestions", Access::kRead, {OPS, READER}},
          {"GetServiceInfo", Access::kRead, AnyRole()},
      });
  return *policy;
}

const auth::AccessPolicy& PurchasingAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.inventory.v1.PurchasingService",
      {
          // Purchasing is OPS's work; approval is further limited by amount per role
          // (--purchase_approval_limits). Readers see suppliers and orders for reports.
          {"SaveSupplier", Access::kWrite, {OPS}},
          {"GetSupplier", Access::kRead, {OPS, READER}},
          {"ListSuppliers", Access::kRead, {OPS, READER}},
          {"DraftPurchaseOrders", Access::kWrite, {OPS}},
          {"GetPurchaseOrder", Access::kRead, {OPS, READER}},
          {"ListPurchaseOrders", Access::kRead, {OPS, READER}},
          {"ApprovePurchaseOrder", Access::kWrite, {OPS}},
          {"SendPurchaseOrder", Access::kWrite, {OPS}},
          {"ReceivePurchaseOrder", Access::kWrite, {OPS}},
          {"CancelPurchaseOrder", Access::kWrite, {OPS}},
          {"ClosePurchaseOrder", Access::kWrite, {OPS}},
          {"FlagOverduePurchaseOrders", Access::kWrite, {OPS}},
      });
  return *policy;
}

}  // namespace oms::inventory
