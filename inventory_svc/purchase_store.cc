#include "inventory_svc/purchase_store.h"

#include "absl/strings/str_cat.h"
#include "inventory_svc/store_rows.h"
#include "platform/base/status.h"
#include "platform/storage/list_query.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory::store {
namespace {

bool BringsGoods(v1::PurchaseOrderStatus status) {
  return status == v1::PO_DRAFT || status == v1::PO_APPROVED || status == v1::PO_SENT ||
         status == v1::PO_PARTIALLY_RECEIVED;
}

}  // namespace

absl::Status SaveSupplier(Session& s, const v1::Supplier& supplier) {
  OMS_RETURN_IF_ERROR(
      s.Exec("INSERT INTO suppliers(supplier_id, active, body) VALUES(?, ?, ?)"
             " ON CONFLICT(supplier_id) DO UPDATE SET active = excluded.active,"
             " body = excluded.body",
             {supplier.supplier_id(), supplier.active(), SqlArg::Blob(SerializeProto(supplier))})
          .status());
  OMS_RETURN_IF_ERROR(
      s.Exec("DELETE FROM supply_terms WHERE supplier_id = ?", {supplier.supplier_id()}).status());
  for (const v1::SupplyTerm& term : supplier.terms()) {
    OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO supply_terms(sku, supplier_id) VALUES(?, ?)",
                               {term.sku(), supplier.supplier_id()})
                            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Supplier>> FindSupplier(Session& s, absl::string_view id) {
  return QueryProto<v1::Supplier>(s, "SELECT body FROM suppliers WHERE supplier_id = ?", {id});
}

absl::StatusOr<std::vector<v1::Supplier>> ListSuppliers(Session& s, const std::string& sku,
                                                        bool active_only) {
  std::string sql = "SELECT body FROM suppliers p WHERE 1 = 1";
  std::vector<SqlArg> args;
  if (!sku.empty()) {
    sql +=
        " AND EXISTS (SELECT 1 FROM supply_terms t WHERE t.supplier_id = p.supplier_id"
        " AND t.sku = ?)";
    args.push_back(sku);
  }
  if (active_only) sql += " AND active = 1";
  sql += " ORDER BY supplier_id";
  return QueryProtos<v1::Supplier>(s, sql, args);
}

absl::Status SavePurchaseOrder(Session& s, const v1::PurchaseOrder& po) {
  std::optional<int64_t> expected;
  if (po.has_expected_at()) expected = Micros(po.expected_at());
  SqlArg expected_arg = expected.has_value() ? SqlArg(*expected) : SqlArg(nullptr);
  OMS_RETURN_IF_ERROR(
      s.Exec("INSERT INTO purchase_orders(purchase_order_id, supplier_id, status, expected_us,"
             " overdue, created_us, body) VALUES(?, ?, ?, ?, ?, ?, ?)"
             " ON CONFLICT(purchase_order_id) DO UPDATE SET status = excluded.status,"
             " expected_us = excluded.expected_us, overdue = excluded.overdue,"
             " body = excluded.body",
             {po.purchase_order_id(), po.supplier_id(), static_cast<int>(po.status()), expected_arg,
              po.overdue(), Micros(po.created_at()), SqlArg::Blob(SerializeProto(po))})
          .status());
  bool open = BringsGoods(po.status());
  for (const v1::PurchaseOrderLine& line : po.lines()) {
    int64_t outstanding = open ? line.quantity_ordered() - line.quantity_received() : 0;
    if (outstanding < 0) outstanding = 0;
    OMS_RETURN_IF_ERROR(
        s.Exec("INSERT INTO purchase_order_lines(purchase_order_id, sku, outstanding, open)"
               " VALUES(?, ?, ?, ?) ON CONFLICT(purchase_order_id, sku) DO UPDATE SET"
               " outstanding = excluded.outstanding, open = excluded.open",
               {po.purchase_order_id(), line.sku(), outstanding, open && outstanding > 0})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::PurchaseOrder>> FindPurchaseOrder(Session& s,
                                                                   absl::string_view id) {
  return QueryProto<v1::PurchaseOrder>(
      s, "SELECT body FROM purchase_orders WHERE purchase_order_id = ?", {id});
}

absl::StatusOr<std::vector<v1::PurchaseOrder>> ListPurchaseOrders(Session& s,
                                                                  const PurchaseOrderQuery& q) {
  ListQuery query("SELECT body FROM purchase_orders");
  query.Equal("status", q.status).Equal("supplier_id", q.supplier_id);
  if (q.overdue_only) query.Equal("overdue", 1);
  query.NewestFirst("purchase_order_id", q.after, q.limit);
  return QueryProtos<v1::PurchaseOrder>(s, query.sql(), query.args());
}

absl::StatusOr<std::vector<v1::PurchaseOrder>> PurchaseOrdersDueBefore(Session& s, absl::Time now) {
  return QueryProtos<v1::PurchaseOrder>(
      s,
      "SELECT body FROM purchase_orders WHERE status IN (?, ?) AND overdue = 0"
      " AND expected_us < ? ORDER BY expected_us, purchase_order_id",
      {static_cast<int>(v1::PO_SENT), static_cast<int>(v1::PO_PARTIALLY_RECEIVED),
       absl::ToUnixMicros(now)});
}

absl::StatusOr<std::map<std::string, int64_t>> OnOrder(Session& s) {
  std::map<std::string, int64_t> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT sku, SUM(outstanding) FROM purchase_order_lines WHERE open = 1 GROUP BY sku", {},
      [&](const Rows& r) {
        out[r.Text(0)] = r.Int(1);
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<Inbound>> InboundOf(Session& s, absl::string_view sku) {
  std::vector<Inbound> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT p.purchase_order_id, p.expected_us, l.outstanding FROM purchase_order_lines l"
      " JOIN purchase_orders p ON p.purchase_order_id = l.purchase_order_id"
      " WHERE l.sku = ? AND l.open = 1 AND p.expected_us IS NOT NULL"
      " ORDER BY p.expected_us, p.purchase_order_id",
      {sku}, [&](const Rows& r) {
        out.push_back({r.Text(0), absl::FromUnixMicros(r.Int(1)), r.Int(2)});
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace oms::inventory::store
