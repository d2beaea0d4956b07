// The purchasing part of inventory_svc's store: suppliers with their supply terms, and
// purchase orders with what each still brings per sku. Every function runs inside the
// caller's transaction; the schema is in inventory_store.cc (migration 2).
#ifndef OMS_INVENTORY_SVC_PURCHASE_STORE_H_
#define OMS_INVENTORY_SVC_PURCHASE_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/inventory/v1/purchasing.pb.h"
#include "platform/storage/database.h"

namespace oms::inventory::store {

// Inserts or replaces the supplier and the skus it offers.
absl::Status SaveSupplier(Session& s, const v1::Supplier& supplier);
absl::StatusOr<std::optional<v1::Supplier>> FindSupplier(Session& s, absl::string_view id);
// By supplier_id; `sku` (if set) keeps those offering it.
absl::StatusOr<std::vector<v1::Supplier>> ListSuppliers(Session& s, const std::string& sku,
                                                        bool active_only);

// Inserts or replaces the purchase order and its per-sku outstanding quantities (open while
// the order can still bring goods: approved, sent or partly received; drafts count too, so
// a second draft run does not order the same units again).
absl::Status SavePurchaseOrder(Session& s, const v1::PurchaseOrder& order);
absl::StatusOr<std::optional<v1::PurchaseOrder>> FindPurchaseOrder(Session& s,
                                                                   absl::string_view id);
struct PurchaseOrderQuery {
  int status = 0;
  std::string supplier_id;
  bool overdue_only = false;
  std::optional<std::pair<int64_t, std::string>> after;  // newest first
  int limit = 100;
};
absl::StatusOr<std::vector<v1::PurchaseOrder>> ListPurchaseOrders(Session& s,
                                                                  const PurchaseOrderQuery& q);
// Sent or partly received orders expected before `now` and not yet flagged overdue.
absl::StatusOr<std::vector<v1::PurchaseOrder>> PurchaseOrdersDueBefore(Session& s, absl::Time now);
// Units of each sku that open purchase orders still bring.
absl::StatusOr<std::map<std::string, int64_t>> OnOrder(Session& s);
// What sent, open purchase orders still bring of `sku`, earliest expected first.
struct Inbound {
  std::string purchase_order_id;
  absl::Time expected_at;
  int64_t outstanding = 0;
};
absl::StatusOr<std::vector<Inbound>> InboundOf(Session& s, absl::string_view sku);

}  // namespace oms::inventory::store

#endif  // OMS_INVENTORY_SVC_PURCHASE_STORE_H_
