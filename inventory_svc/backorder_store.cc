// The inventory store: the backorder queue and low-stock alert flags.
#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/store_rows.h"
#include "platform/base/status.h"

namespace oms::inventory::store {

absl::Status InsertBackorder(Session& s, const v1::Backorder& b) {
  return s
      .Exec(
          "INSERT INTO backorders(order_id, sku, quantity_requested, quantity_waiting,"
          " priority, region, policy, created_us) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
          {b.order_id(), b.sku(), b.quantity_requested(), b.quantity_waiting(), b.priority(),
           b.region(), static_cast<int>(b.policy()), Micros(b.created_at())})
      .status();
}

absl::Status SetBackorderWaiting(Session& s, int64_t backorder_id, int64_t waiting) {
  return ExpectOneRow(s.Exec("UPDATE backorders SET quantity_waiting = ? WHERE backorder_id = ?",
                             {waiting, backorder_id}),
                      absl::StrCat("backorder ", backorder_id));
}

absl::StatusOr<std::vector<v1::Backorder>> WaitingBackorders(Session& s, const std::string& sku,
                                                             const std::string& order_id) {
  // Queue position counts the waiting entries of the same sku served before this one.
  std::string sql =
      "SELECT b.backorder_id, b.order_id, b.sku, b.quantity_requested, b.quantity_waiting,"
      " b.priority, b.region, b.policy, b.created_us,"
      " (SELECT COUNT(*) FROM backorders q WHERE q.sku = b.sku AND q.quantity_waiting > 0"
      "   AND (q.priority > b.priority OR (q.priority = b.priority"
      "        AND q.backorder_id <= b.backorder_id)))"
      " FROM backorders b WHERE b.quantity_waiting > 0";
  std::vector<SqlArg> args;
  FilterEquals(sql, args, "b.sku", sku);
  FilterEquals(sql, args, "b.order_id", order_id);
  absl::StrAppend(&sql, " ORDER BY b.priority DESC, b.backorder_id");
  std::vector<v1::Backorder> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) {
    v1::Backorder& b = out.emplace_back();
    b.set_backorder_id(r.Int(0));
    b.set_order_id(r.Text(1));
    b.set_sku(r.Text(2));
    b.set_quantity_requested(r.Int(3));
    b.set_quantity_waiting(r.Int(4));
    b.set_priority(static_cast<int32_t>(r.Int(5)));
    b.set_region(r.Text(6));
    b.set_policy(static_cast<v1::AllocationPolicy>(r.Int(7)));
    *b.mutable_created_at() = FromMicros(r.Int(8));
    b.set_queue_position(r.Int(9));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> WaitingQuantity(Session& s, absl::string_view sku) {
  return SingleInt(s, "SELECT COALESCE(SUM(quantity_waiting), 0) FROM backorders WHERE sku = ?",
                   {sku});
}

// ---- low-stock alert state

absl::StatusOr<bool> LowStockAlerted(Session& s, absl::string_view sku) {
  OMS_ASSIGN_OR_RETURN(int64_t flag,
                       SingleInt(s, "SELECT low_stock_alerted FROM products WHERE sku = ?", {sku}));
  return flag != 0;
}

absl::Status SetLowStockAlerted(Session& s, absl::string_view sku, bool alerted) {
  return s.Exec("UPDATE products SET low_stock_alerted = ? WHERE sku = ?", {alerted, sku}).status();
}

// ---- admin

}  // namespace oms::inventory::store
