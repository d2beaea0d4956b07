// The inventory store: stock levels, availability, the adjustment ledger, drift and demand.
#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/store_rows.h"
#include "platform/base/status.h"

namespace oms::inventory::store {

absl::StatusOr<std::vector<v1::StockLevel>> StockOfSku(Session& s, absl::string_view sku) {
  return Collect(s,
                 "SELECT sku, warehouse_id, on_hand, reserved FROM stock WHERE sku = ?"
                 " ORDER BY warehouse_id",
                 {sku}, &LevelFromRow);
}

absl::StatusOr<v1::StockLevel> StockAt(Session& s, absl::string_view sku,
                                       absl::string_view warehouse_id) {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::StockLevel> found,
                       Collect(s,
                               "SELECT sku, warehouse_id, on_hand, reserved FROM stock"
                               " WHERE sku = ? AND warehouse_id = ?",
                               {sku, warehouse_id}, &LevelFromRow));
  if (!found.empty()) return found[0];
  v1::StockLevel empty;
  empty.set_sku(std::string(sku));
  empty.set_warehouse_id(std::string(warehouse_id));
  return empty;
}

absl::StatusOr<std::vector<v1::StockLevel>> ListStock(Session& s, const StockQuery& q) {
  std::string sql =
      "SELECT st.sku, st.warehouse_id, st.on_hand, st.reserved FROM stock st"
      " JOIN products p ON p.sku = st.sku WHERE 1 = 1";
  std::vector<SqlArg> args;
  FilterEquals(sql, args, "st.sku", q.sku);
  FilterEquals(sql, args, "st.warehouse_id", q.warehouse_id);
  FilterEquals(sql, args, "p.category", q.category);
  if (q.below_safety_stock_only) {
    absl::StrAppend(&sql,
                    " AND p.safety_stock > (SELECT SUM(t.on_hand - t.reserved) FROM stock t"
                    " WHERE t.sku = st.sku)");
  }
  if (q.after) {
    absl::StrAppend(&sql, " AND (st.sku > ? OR (st.sku = ? AND st.warehouse_id > ?))");
    args.emplace_back(q.after->first);
    args.emplace_back(q.after->first);
    args.emplace_back(q.after->second);
  }
  absl::StrAppend(&sql, " ORDER BY st.sku, st.warehouse_id LIMIT ?");
  args.emplace_back(q.limit);
  return Collect(s, sql, args, &LevelFromRow);
}

absl::StatusOr<Availability> AvailabilityOf(Session& s, const std::vector<std::string>& skus) {
  Availability available;
  for (const std::string& sku : skus) {
    OMS_RETURN_IF_ERROR(
        s.ForEachRow("SELECT st.warehouse_id, st.on_hand - st.reserved FROM stock st"
                     " JOIN warehouses w ON w.warehouse_id = st.warehouse_id"
                     " WHERE st.sku = ? AND w.active = 1",
                     {sku}, [&](const Rows& r) {
                       available[{r.Text(0), sku}] = r.Int(1);
                       return absl::OkStatus();
                     }));
  }
  return available;
}

absl::StatusOr<std::vector<WarehouseChoice>> ActiveWarehouses(Session& s) {
  std::vector<WarehouseChoice> out;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT warehouse_id, region, priority FROM warehouses WHERE active = 1", {},
                   [&](const Rows& r) {
                     out.push_back({r.Text(0), r.Text(1), static_cast<int>(r.Int(2))});
                     return absl::OkStatus();
                   }));
  return out;
}

absl::StatusOr<int64_t> TotalAvailable(Session& s, absl::string_view sku) {
  return SingleInt(s, "SELECT COALESCE(SUM(on_hand - reserved), 0) FROM stock WHERE sku = ?",
                   {sku});
}

absl::Status AddOnHand(Session& s, absl::string_view sku, absl::string_view warehouse_id,
                       int64_t delta) {
  // Update first: an upsert would check its candidate row (negative on hand) and refuse it.
  absl::StatusOr<int64_t> changed =
      s.Exec("UPDATE stock SET on_hand = on_hand + ? WHERE sku = ? AND warehouse_id = ?",
             {delta, sku, warehouse_id});
  if (changed.ok() && *changed == 0) {
    changed = s.Exec("INSERT INTO stock(sku, warehouse_id, on_hand, reserved) VALUES(?, ?, ?, 0)",
                     {sku, warehouse_id, delta});
  }
  if (!changed.ok() && changed.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::FailedPreconditionError(absl::StrCat("on hand of ", sku, " at ", warehouse_id,
                                                      " cannot fall below what is ",
                                                      "reserved or below zero"));
  }
  return changed.status();
}

absl::Status AddReserved(Session& s, absl::string_view sku, absl::string_view warehouse_id,
                         int64_t delta) {
  absl::StatusOr<int64_t> changed =
      s.Exec("UPDATE stock SET reserved = reserved + ? WHERE sku = ? AND warehouse_id = ?",
             {delta, sku, warehouse_id});
  if (!changed.ok() && changed.status().code() == absl::StatusCode::kFailedPrecondition) {
    return absl::FailedPreconditionError(
        absl::StrCat("reserving ", delta, " of ", sku, " at ", warehouse_id,
                     " would oversell or leave reserved negative"));
  }
  return ExpectOneRow(changed, absl::StrCat("stock of ", sku, " at ", warehouse_id));
}

// ---- ledger

absl::StatusOr<int64_t> AppendAdjustment(Session& s, const v1::Adjustment& a) {
  OMS_ASSIGN_OR_RETURN(
      Rows inserted,
      s.Query("INSERT INTO adjustments(sku, warehouse_id, delta, reason, actor, note, order_id,"
              " on_hand_after, at_us) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING adjustment_id",
              {a.sku(), a.warehouse_id(), a.delta(), static_cast<int>(a.reason()), a.actor(),
               a.note(), a.order_id(), a.on_hand_after(), Micros(a.occurred_at())}));
  OMS_ASSIGN_OR_RETURN(bool row, inserted.Next());
  if (!row) return absl::InternalError("adjustment insert returned no id");
  return inserted.Int(0);
}

absl::StatusOr<std::vector<v1::Adjustment>> ListAdjustments(Session& s, const AdjustmentQuery& q) {
  std::string sql =
      absl::StrCat("SELECT ", kAdjustmentColumns, " FROM adjustments WHERE adjustment_id > ?");
  std::vector<SqlArg> args = {q.after_id};
  FilterEquals(sql, args, "sku", q.sku);
  FilterEquals(sql, args, "warehouse_id", q.warehouse_id);
  if (q.from_us) {
    absl::StrAppend(&sql, " AND at_us >= ?");
    args.emplace_back(*q.from_us);
  }
  if (q.to_us) {
    absl::StrAppend(&sql, " AND at_us < ?");
    args.emplace_back(*q.to_us);
  }
  absl::StrAppend(&sql, " ORDER BY adjustment_id LIMIT ?");
  args.emplace_back(q.limit);
  return Collect(s, sql, args, &AdjustmentFromRow);
}

// ---- allocations and reservations

absl::StatusOr<std::vector<v1::Drift>> FindDrift(Session& s, int64_t* rows_checked) {
  OMS_ASSIGN_OR_RETURN(*rows_checked, SingleInt(s, "SELECT COUNT(*) FROM stock", {}));
  std::vector<v1::Drift> drifts;
  auto add = [&](const Rows& r, const char* what) {
    v1::Drift& d = drifts.emplace_back();
    d.set_sku(r.Text(0));
    d.set_warehouse_id(r.Text(1));
    d.set_what(what);
    d.set_stored(r.Int(2));
    d.set_expected(r.Int(3));
    return absl::OkStatus();
  };
  // reserved must be the sum of the active reservations, including where no stock row exists.
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT * FROM (SELECT k.sku, k.warehouse_id, COALESCE(st.reserved, 0) AS stored,"
      "       COALESCE((SELECT SUM(quantity) FROM reservations r WHERE r.sku = k.sku"
      "                 AND r.warehouse_id = k.warehouse_id AND r.status = ?), 0) AS expected"
      " FROM (SELECT sku, warehouse_id FROM stock UNION"
      "       SELECT sku, warehouse_id FROM reservations WHERE status = ?) k"
      " LEFT JOIN stock st ON st.sku = k.sku AND st.warehouse_id = k.warehouse_id) d"
      " WHERE stored != expected",
      {static_cast<int>(v1::Reservation::ACTIVE), static_cast<int>(v1::Reservation::ACTIVE)},
      [&](const Rows& r) { return add(r, "reserved != sum of active reservations"); }));
  // on hand must be the sum of its ledger.
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT * FROM (SELECT k.sku, k.warehouse_id, COALESCE(st.on_hand, 0) AS stored,"
                   "       COALESCE((SELECT SUM(delta) FROM adjustments a WHERE a.sku = k.sku"
                   "                 AND a.warehouse_id = k.warehouse_id), 0) AS expected"
                   " FROM (SELECT sku, warehouse_id FROM stock UNION"
                   "       SELECT sku, warehouse_id FROM adjustments) k"
                   " LEFT JOIN stock st ON st.sku = k.sku AND st.warehouse_id = k.warehouse_id) d"
                   " WHERE stored != expected",
                   {}, [&](const Rows& r) { return add(r, "on_hand != sum of ledger"); }));
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT sku, warehouse_id, reserved, on_hand FROM stock"
      " WHERE reserved < 0 OR on_hand < reserved",
      {}, [&](const Rows& r) { return add(r, "reserved negative or above on_hand"); }));
  return drifts;
}

absl::StatusOr<std::map<std::string, int64_t>> DemandSince(Session& s, absl::Time since) {
  std::map<std::string, int64_t> demand;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT sku, SUM(quantity) FROM demand WHERE at_us >= ? GROUP BY sku",
                   {absl::ToUnixMicros(since)}, [&](const Rows& r) {
                     demand[r.Text(0)] = r.Int(1);
                     return absl::OkStatus();
                   }));
  return demand;
}

}  // namespace oms::inventory::store
