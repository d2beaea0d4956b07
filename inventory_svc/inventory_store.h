#ifndef OMS_INVENTORY_SVC_INVENTORY_STORE_H_
#define OMS_INVENTORY_SVC_INVENTORY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "inventory_svc/allocator.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/storage/database.h"

namespace oms::inventory {

// All SQL of inventory_svc; every function runs inside the caller's transaction. The stock
// table holds on_hand and reserved per (sku, warehouse) with CHECK constraints that make
// negative or oversold stock impossible to commit; reserved moves only together with the
// reservations it sums, on_hand only together with a ledger row.
namespace store {

const std::vector<Migration>& Migrations();

// ---- products and warehouses
absl::Status InsertProduct(Session& s, const v1::Product& product);
absl::Status SaveProduct(Session& s, const v1::Product& product);
absl::StatusOr<v1::Product> LoadProduct(Session& s, absl::string_view sku);  // NOT_FOUND
absl::StatusOr<std::vector<v1::Product>> ListProducts(Session& s, const std::string& category,
                                                      bool active_only,
                                                      const std::string& after_sku, int limit);
absl::Status InsertWarehouse(Session& s, const v1::Warehouse& warehouse);
absl::Status SaveWarehouse(Session& s, const v1::Warehouse& warehouse);
absl::StatusOr<v1::Warehouse> LoadWarehouse(Session& s, absl::string_view id);  // NOT_FOUND
absl::StatusOr<std::vector<v1::Warehouse>> ListWarehouses(Session& s, const std::string& region,
                                                          bool active_only);

// ---- stock
absl::StatusOr<std::vector<v1::StockLevel>> StockOfSku(Session& s, absl::string_view sku);
absl::StatusOr<v1::StockLevel> StockAt(Session& s, absl::string_view sku,
                                       absl::string_view warehouse_id);  // zeros if none
struct StockQuery {
  std::string sku, warehouse_id, category;
  bool below_safety_stock_only = false;
  std::optional<std::pair<std::string, std::string>> after;  // (sku, warehouse_id)
  int limit = 100;
};
absl::StatusOr<std::vector<v1::StockLevel>> ListStock(Session& s, const StockQuery& query);
// Available units of `skus` in every active warehouse.
absl::StatusOr<Availability> AvailabilityOf(Session& s, const std::vector<std::string>& skus);
absl::StatusOr<std::vector<WarehouseChoice>> ActiveWarehouses(Session& s);
absl::StatusOr<int64_t> TotalAvailable(Session& s, absl::string_view sku);
// Changes on hand (creating the stock row if needed); the CHECK constraints refuse a result
// below reserved (FAILED_PRECONDITION).
absl::Status AddOnHand(Session& s, absl::string_view sku, absl::string_view warehouse_id,
                       int64_t delta);
absl::Status AddReserved(Session& s, absl::string_view sku, absl::string_view warehouse_id,
                         int64_t delta);

// ---- ledger
absl::StatusOr<int64_t> AppendAdjustment(Session& s, const v1::Adjustment& adjustment);
struct AdjustmentQuery {
  std::string sku, warehouse_id;
  std::optional<int64_t> from_us, to_us;
  int64_t after_id = 0;
  int limit = 100;
};
absl::StatusOr<std::vector<v1::Adjustment>> ListAdjustments(Session& s,
                                                            const AdjustmentQuery& query);

// ---- allocations and reservations
struct AllocationRecord {
  v1::AllocationPolicy policy;
  std::string region;
};
absl::StatusOr<std::optional<AllocationRecord>> FindAllocation(Session& s,
                                                               absl::string_view order_id);
absl::Status InsertAllocation(Session& s, absl::string_view order_id, v1::AllocationPolicy policy,
                              absl::string_view region, const std::vector<LineQuantity>& lines,
                              absl::Time now);
// A new policy and region for an order's allocation (allocated afresh, or moved).
absl::Status UpdateAllocation(Session& s, absl::string_view order_id, v1::AllocationPolicy policy,
                              absl::string_view region);
// The region waiting backorders of `order_id` are served for.
absl::Status SetBackorderRegion(Session& s, absl::string_view order_id, absl::string_view region);
// More demand for an allocated order (amended lines); adds to a sku already there.
absl::Status AddDemand(Session& s, absl::string_view order_id,
                       const std::vector<LineQuantity>& lines, absl::Time now);
absl::Status InsertReservation(Session& s, const v1::Reservation& reservation);
// Sets status and quantity of an existing reservation.
absl::Status UpdateReservation(Session& s, const v1::Reservation& reservation);
struct ReservationQuery {
  std::string order_id, sku, warehouse_id;
  std::vector<int> statuses;
  std::string after_id;
  int limit = 1000000;
};
absl::StatusOr<std::vector<v1::Reservation>> ListReservations(Session& s,
                                                              const ReservationQuery& query);
absl::StatusOr<std::vector<v1::Reservation>> ActiveReservationsExpiredBy(Session& s,
                                                                         absl::Time now);

// ---- backorders (queue order: priority descending, then backorder_id ascending)
absl::Status InsertBackorder(Session& s, const v1::Backorder& backorder);
absl::Status SetBackorderWaiting(Session& s, int64_t backorder_id, int64_t waiting);
absl::StatusOr<std::vector<v1::Backorder>> WaitingBackorders(Session& s, const std::string& sku,
                                                             const std::string& order_id);
absl::StatusOr<int64_t> WaitingQuantity(Session& s, absl::string_view sku);

// ---- low-stock alert state (one alert per crossing)
absl::StatusOr<bool> LowStockAlerted(Session& s, absl::string_view sku);
absl::Status SetLowStockAlerted(Session& s, absl::string_view sku, bool alerted);

// ---- admin
absl::StatusOr<std::vector<v1::Drift>> FindDrift(Session& s, int64_t* rows_checked);
// Units ordered per sku (allocated or backordered) since `since`.
absl::StatusOr<std::map<std::string, int64_t>> DemandSince(Session& s, absl::Time since);

}  // namespace store
}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_INVENTORY_STORE_H_
