#include "inventory_svc/inventory_store.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "platform/status.h"

namespace oms::inventory::store {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

google::protobuf::Timestamp FromMicros(int64_t us) { return TimeUtil::MicrosecondsToTimestamp(us); }

constexpr char kProductColumns[] =
    "sku, name, category, currency, unit_price_minor, weight_g, volume_cm3, safety_stock,"
    " lead_time_days, active, created_us, updated_us";

v1::Product ProductFromRow(const Rows& r) {
  v1::Product p;
  p.set_sku(r.Text(0));
  p.set_name(r.Text(1));
  p.set_category(r.Text(2));
  p.mutable_unit_price()->set_currency_code(r.Text(3));
  p.mutable_unit_price()->set_minor_units(r.Int(4));
  p.set_weight_g(r.Int(5));
  p.set_volume_cm3(r.Int(6));
  p.set_safety_stock(r.Int(7));
  p.set_lead_time_days(static_cast<int32_t>(r.Int(8)));
  p.set_active(r.Int(9) != 0);
  *p.mutable_created_at() = FromMicros(r.Int(10));
  *p.mutable_updated_at() = FromMicros(r.Int(11));
  return p;
}

constexpr char kWarehouseColumns[] =
    "warehouse_id, name, region, priority, active, created_us, updated_us";

v1::Warehouse WarehouseFromRow(const Rows& r) {
  v1::Warehouse w;
  w.set_warehouse_id(r.Text(0));
  w.set_name(r.Text(1));
  w.set_region(r.Text(2));
  w.set_priority(static_cast<int32_t>(r.Int(3)));
  w.set_active(r.Int(4) != 0);
  *w.mutable_created_at() = FromMicros(r.Int(5));
  *w.mutable_updated_at() = FromMicros(r.Int(6));
  return w;
}

v1::StockLevel LevelFromRow(const Rows& r) {
  v1::StockLevel level;
  level.set_sku(r.Text(0));
  level.set_warehouse_id(r.Text(1));
  level.set_on_hand(r.Int(2));
  level.set_reserved(r.Int(3));
  level.set_available(r.Int(2) - r.Int(3));
  return level;
}

constexpr char kAdjustmentColumns[] =
    "adjustment_id, sku, warehouse_id, delta, reason, actor, note, order_id, on_hand_after,"
    " at_us";

v1::Adjustment AdjustmentFromRow(const Rows& r) {
  v1::Adjustment a;
  a.set_adjustment_id(r.Int(0));
  a.set_sku(r.Text(1));
  a.set_warehouse_id(r.Text(2));
  a.set_delta(r.Int(3));
  a.set_reason(static_cast<v1::AdjustmentReason>(r.Int(4)));
  a.set_actor(r.Text(5));
  a.set_note(r.Text(6));
  a.set_order_id(r.Text(7));
  a.set_on_hand_after(r.Int(8));
  *a.mutable_occurred_at() = FromMicros(r.Int(9));
  return a;
}

constexpr char kReservationColumns[] =
    "reservation_id, order_id, sku, warehouse_id, quantity, status, created_us, expires_us,"
    " updated_us";

v1::Reservation ReservationFromRow(const Rows& r) {
  v1::Reservation res;
  res.set_reservation_id(r.Text(0));
  res.set_order_id(r.Text(1));
  res.set_sku(r.Text(2));
  res.set_warehouse_id(r.Text(3));
  res.set_quantity(r.Int(4));
  res.set_status(static_cast<v1::Reservation::Status>(r.Int(5)));
  *res.mutable_created_at() = FromMicros(r.Int(6));
  if (!r.IsNull(7)) *res.mutable_expires_at() = FromMicros(r.Int(7));
  *res.mutable_updated_at() = FromMicros(r.Int(8));
  return res;
}

template <typename T>
absl::StatusOr<std::vector<T>> Collect(Session& s, const std::string& sql,
                                       absl::Span<const SqlArg> args, T (*from_row)(const Rows&)) {
  std::vector<T> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) {
    out.push_back(from_row(r));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SingleInt(Session& s, const std::string& sql,
                                  absl::Span<const SqlArg> args) {
  int64_t value = 0;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) {
    value = r.Int(0);
    return absl::OkStatus();
  }));
  return value;
}

absl::Status ExpectOneRow(absl::StatusOr<int64_t> changed, absl::string_view what) {
  if (!changed.ok()) return changed.status();
  if (*changed != 1) return absl::NotFoundError(absl::StrCat(what, " does not exist"));
  return absl::OkStatus();
}

// Appends " AND <column> = ?" when `value` is set.
void FilterEquals(std::string& sql, std::vector<SqlArg>& args, const char* column,
                  const std::string& value) {
  if (value.empty()) return;
  absl::StrAppend(&sql, " AND ", column, " = ?");
  args.emplace_back(value);
}

}  // namespace

const std::vector<std::string>& Migrations() {
  static const auto* migrations = new std::vector<std::string>{
      "CREATE TABLE products ("
      "  sku TEXT PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  category TEXT NOT NULL,"
      "  currency TEXT NOT NULL,"
      "  unit_price_minor INTEGER NOT NULL,"
      "  weight_g INTEGER NOT NULL,"
      "  volume_cm3 INTEGER NOT NULL,"
      "  safety_stock INTEGER NOT NULL,"
      "  lead_time_days INTEGER NOT NULL,"
      "  active INTEGER NOT NULL,"
      "  low_stock_alerted INTEGER NOT NULL DEFAULT 0,"
      "  created_us INTEGER NOT NULL,"
      "  updated_us INTEGER NOT NULL);"
      "CREATE INDEX products_category ON products(category, sku);"
      "CREATE TABLE warehouses ("
      "  warehouse_id TEXT PRIMARY KEY,"
      "  name TEXT NOT NULL,"
      "  region TEXT NOT NULL,"
      "  priority INTEGER NOT NULL,"
      "  active INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL,"
      "  updated_us INTEGER NOT NULL);"
      // Overselling and negative stock cannot be committed: the constraints refuse them.
      "CREATE TABLE stock ("
      "  sku TEXT NOT NULL REFERENCES products(sku),"
      "  warehouse_id TEXT NOT NULL REFERENCES warehouses(warehouse_id),"
      "  on_hand INTEGER NOT NULL,"
      "  reserved INTEGER NOT NULL,"
      "  CHECK (reserved >= 0),"
      "  CHECK (on_hand >= reserved),"
      "  PRIMARY KEY (sku, warehouse_id));"
      "CREATE TABLE adjustments ("
      "  adjustment_id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  sku TEXT NOT NULL,"
      "  warehouse_id TEXT NOT NULL,"
      "  delta INTEGER NOT NULL,"
      "  reason INTEGER NOT NULL,"
      "  actor TEXT NOT NULL,"
      "  note TEXT NOT NULL,"
      "  order_id TEXT NOT NULL,"
      "  on_hand_after INTEGER NOT NULL,"
      "  at_us INTEGER NOT NULL);"
      "CREATE INDEX adjustments_stock ON adjustments(sku, warehouse_id, adjustment_id);"
      "CREATE INDEX adjustments_time ON adjustments(at_us);"
      "CREATE TABLE allocations ("
      "  order_id TEXT PRIMARY KEY,"
      "  policy INTEGER NOT NULL,"
      "  region TEXT NOT NULL,"
      "  created_us INTEGER NOT NULL);"
      // What was ordered (for demand), whatever was reserved or backordered.
      "CREATE TABLE demand ("
      "  order_id TEXT NOT NULL REFERENCES allocations(order_id),"
      "  sku TEXT NOT NULL,"
      "  quantity INTEGER NOT NULL,"
      "  at_us INTEGER NOT NULL,"
      "  PRIMARY KEY (order_id, sku));"
      "CREATE INDEX demand_time ON demand(at_us);"
      "CREATE TABLE reservations ("
      "  reservation_id TEXT PRIMARY KEY,"
      "  order_id TEXT NOT NULL,"
      "  sku TEXT NOT NULL,"
      "  warehouse_id TEXT NOT NULL,"
      "  quantity INTEGER NOT NULL CHECK (quantity > 0),"
      "  status INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL,"
      "  expires_us INTEGER,"
      "  updated_us INTEGER NOT NULL);"
      "CREATE INDEX reservations_order ON reservations(order_id, reservation_id);"
      "CREATE INDEX reservations_stock ON reservations(sku, warehouse_id, status);"
      "CREATE INDEX reservations_expiry ON reservations(status, expires_us);"
      "CREATE TABLE backorders ("
      "  backorder_id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  order_id TEXT NOT NULL,"
      "  sku TEXT NOT NULL,"
      "  quantity_requested INTEGER NOT NULL,"
      "  quantity_waiting INTEGER NOT NULL CHECK (quantity_waiting >= 0),"
      "  priority INTEGER NOT NULL,"
      "  region TEXT NOT NULL,"
      "  policy INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL);"
      "CREATE INDEX backorders_queue ON backorders(sku, priority DESC, backorder_id)"
      "  WHERE quantity_waiting > 0;"
      "CREATE INDEX backorders_order ON backorders(order_id);",
  };
  return *migrations;
}

// ---- products and warehouses

absl::Status InsertProduct(Session& s, const v1::Product& p) {
  return s
      .Exec(absl::StrCat("INSERT INTO products(", kProductColumns,
                         ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {p.sku(), p.name(), p.category(), p.unit_price().currency_code(),
             p.unit_price().minor_units(), p.weight_g(), p.volume_cm3(), p.safety_stock(),
             p.lead_time_days(), p.active(), Micros(p.created_at()), Micros(p.updated_at())})
      .status();
}

absl::Status SaveProduct(Session& s, const v1::Product& p) {
  return ExpectOneRow(
      s.Exec("UPDATE products SET name = ?, category = ?, currency = ?, unit_price_minor = ?,"
             " weight_g = ?, volume_cm3 = ?, safety_stock = ?, lead_time_days = ?, active = ?,"
             " updated_us = ? WHERE sku = ?",
             {p.name(), p.category(), p.unit_price().currency_code(), p.unit_price().minor_units(),
              p.weight_g(), p.volume_cm3(), p.safety_stock(), p.lead_time_days(), p.active(),
              Micros(p.updated_at()), p.sku()}),
      absl::StrCat("product ", p.sku()));
}

absl::StatusOr<v1::Product> LoadProduct(Session& s, absl::string_view sku) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::Product> found,
      Collect(s, absl::StrCat("SELECT ", kProductColumns, " FROM products WHERE sku = ?"), {sku},
              &ProductFromRow));
  if (found.empty())
    return absl::NotFoundError(absl::StrCat("product \"", sku, "\" does not exist"));
  return found[0];
}

absl::StatusOr<std::vector<v1::Product>> ListProducts(Session& s, const std::string& category,
                                                      bool active_only,
                                                      const std::string& after_sku, int limit) {
  std::string sql = absl::StrCat("SELECT ", kProductColumns, " FROM products WHERE sku > ?");
  std::vector<SqlArg> args = {after_sku};
  FilterEquals(sql, args, "category", category);
  if (active_only) absl::StrAppend(&sql, " AND active = 1");
  absl::StrAppend(&sql, " ORDER BY sku LIMIT ?");
  args.emplace_back(limit);
  return Collect(s, sql, args, &ProductFromRow);
}

absl::Status InsertWarehouse(Session& s, const v1::Warehouse& w) {
  return s
      .Exec(absl::StrCat("INSERT INTO warehouses(", kWarehouseColumns,
                         ") VALUES(?, ?, ?, ?, ?, ?, ?)"),
            {w.warehouse_id(), w.name(), w.region(), w.priority(), w.active(),
             Micros(w.created_at()), Micros(w.updated_at())})
      .status();
}

absl::Status SaveWarehouse(Session& s, const v1::Warehouse& w) {
  return ExpectOneRow(s.Exec("UPDATE warehouses SET name = ?, region = ?, priority = ?,"
                             " active = ?, updated_us = ? WHERE warehouse_id = ?",
                             {w.name(), w.region(), w.priority(), w.active(),
                              Micros(w.updated_at()), w.warehouse_id()}),
                      absl::StrCat("warehouse ", w.warehouse_id()));
}

absl::StatusOr<v1::Warehouse> LoadWarehouse(Session& s, absl::string_view id) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::Warehouse> found,
      Collect(s,
              absl::StrCat("SELECT ", kWarehouseColumns, " FROM warehouses WHERE warehouse_id = ?"),
              {id}, &WarehouseFromRow));
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("warehouse \"", id, "\" does not exist"));
  }
  return found[0];
}

absl::StatusOr<std::vector<v1::Warehouse>> ListWarehouses(Session& s, const std::string& region,
                                                          bool active_only) {
  std::string sql = absl::StrCat("SELECT ", kWarehouseColumns, " FROM warehouses WHERE 1 = 1");
  std::vector<SqlArg> args;
  FilterEquals(sql, args, "region", region);
  if (active_only) absl::StrAppend(&sql, " AND active = 1");
  absl::StrAppend(&sql, " ORDER BY priority, warehouse_id");
  return Collect(s, sql, args, &WarehouseFromRow);
}

// ---- stock

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
  OMS_RETURN_IF_ERROR(
      s.Exec("INSERT INTO adjustments(sku, warehouse_id, delta, reason, actor, note, order_id,"
             " on_hand_after, at_us) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {a.sku(), a.warehouse_id(), a.delta(), static_cast<int>(a.reason()), a.actor(),
              a.note(), a.order_id(), a.on_hand_after(), Micros(a.occurred_at())})
          .status());
  return s.LastInsertRowId();
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

absl::StatusOr<std::optional<AllocationRecord>> FindAllocation(Session& s,
                                                               absl::string_view order_id) {
  std::optional<AllocationRecord> record;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT policy, region FROM allocations WHERE order_id = ?", {order_id}, [&](const Rows& r) {
        record = AllocationRecord{static_cast<v1::AllocationPolicy>(r.Int(0)), r.Text(1)};
        return absl::OkStatus();
      }));
  return record;
}

absl::Status InsertAllocation(Session& s, absl::string_view order_id, v1::AllocationPolicy policy,
                              absl::string_view region, const std::vector<LineQuantity>& lines,
                              absl::Time now) {
  int64_t at = absl::ToUnixMicros(now);
  OMS_RETURN_IF_ERROR(
      s.Exec("INSERT INTO allocations(order_id, policy, region, created_us) VALUES(?, ?, ?, ?)",
             {order_id, static_cast<int>(policy), region, at})
          .status());
  for (const LineQuantity& line : lines) {
    OMS_RETURN_IF_ERROR(
        s.Exec("INSERT INTO demand(order_id, sku, quantity, at_us) VALUES(?, ?, ?, ?)",
               {order_id, line.sku, line.quantity, at})
            .status());
  }
  return absl::OkStatus();
}

absl::Status UpdateAllocation(Session& s, absl::string_view order_id, v1::AllocationPolicy policy,
                              absl::string_view region) {
  return ExpectOneRow(s.Exec("UPDATE allocations SET policy = ?, region = ? WHERE order_id = ?",
                             {static_cast<int>(policy), region, order_id}),
                      absl::StrCat("allocation ", order_id));
}

absl::Status SetBackorderRegion(Session& s, absl::string_view order_id, absl::string_view region) {
  return s
      .Exec("UPDATE backorders SET region = ? WHERE order_id = ? AND quantity_waiting > 0",
            {region, order_id})
      .status();
}

absl::Status AddDemand(Session& s, absl::string_view order_id,
                       const std::vector<LineQuantity>& lines, absl::Time now) {
  for (const LineQuantity& line : lines) {
    OMS_RETURN_IF_ERROR(
        s.Exec("INSERT INTO demand(order_id, sku, quantity, at_us) VALUES(?, ?, ?, ?)"
               " ON CONFLICT(order_id, sku) DO UPDATE SET quantity = quantity + excluded.quantity",
               {order_id, line.sku, line.quantity, absl::ToUnixMicros(now)})
            .status());
  }
  return absl::OkStatus();
}

absl::Status InsertReservation(Session& s, const v1::Reservation& r) {
  return s
      .Exec(absl::StrCat("INSERT INTO reservations(", kReservationColumns,
                         ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {r.reservation_id(), r.order_id(), r.sku(), r.warehouse_id(), r.quantity(),
             static_cast<int>(r.status()), Micros(r.created_at()),
             r.has_expires_at() ? SqlArg(Micros(r.expires_at())) : SqlArg(nullptr),
             Micros(r.updated_at())})
      .status();
}

absl::Status UpdateReservation(Session& s, const v1::Reservation& r) {
  return ExpectOneRow(s.Exec("UPDATE reservations SET quantity = ?, status = ?, updated_us = ?"
                             " WHERE reservation_id = ?",
                             {r.quantity(), static_cast<int>(r.status()), Micros(r.updated_at()),
                              r.reservation_id()}),
                      absl::StrCat("reservation ", r.reservation_id()));
}

absl::StatusOr<std::vector<v1::Reservation>> ListReservations(Session& s,
                                                              const ReservationQuery& q) {
  std::string sql =
      absl::StrCat("SELECT ", kReservationColumns, " FROM reservations WHERE reservation_id > ?");
  std::vector<SqlArg> args = {q.after_id};
  FilterEquals(sql, args, "order_id", q.order_id);
  FilterEquals(sql, args, "sku", q.sku);
  FilterEquals(sql, args, "warehouse_id", q.warehouse_id);
  if (!q.statuses.empty()) {
    absl::StrAppend(&sql, " AND status IN (");
    for (size_t i = 0; i < q.statuses.size(); ++i) {
      absl::StrAppend(&sql, i == 0 ? "?" : ", ?");
      args.emplace_back(q.statuses[i]);
    }
    absl::StrAppend(&sql, ")");
  }
  absl::StrAppend(&sql, " ORDER BY reservation_id LIMIT ?");
  args.emplace_back(q.limit);
  return Collect(s, sql, args, &ReservationFromRow);
}

absl::StatusOr<std::vector<v1::Reservation>> ActiveReservationsExpiredBy(Session& s,
                                                                         absl::Time now) {
  return Collect(s,
                 absl::StrCat("SELECT ", kReservationColumns,
                              " FROM reservations WHERE status = ? AND expires_us IS NOT NULL"
                              " AND expires_us <= ? ORDER BY reservation_id"),
                 {static_cast<int>(v1::Reservation::ACTIVE), absl::ToUnixMicros(now)},
                 &ReservationFromRow);
}

// ---- backorders

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
      "SELECT k.sku, k.warehouse_id, COALESCE(st.reserved, 0),"
      "       COALESCE((SELECT SUM(quantity) FROM reservations r WHERE r.sku = k.sku"
      "                 AND r.warehouse_id = k.warehouse_id AND r.status = ?), 0) AS expected"
      " FROM (SELECT sku, warehouse_id FROM stock UNION"
      "       SELECT sku, warehouse_id FROM reservations WHERE status = ?) k"
      " LEFT JOIN stock st ON st.sku = k.sku AND st.warehouse_id = k.warehouse_id"
      " WHERE COALESCE(st.reserved, 0) != expected",
      {static_cast<int>(v1::Reservation::ACTIVE), static_cast<int>(v1::Reservation::ACTIVE)},
      [&](const Rows& r) { return add(r, "reserved != sum of active reservations"); }));
  // on hand must be the sum of its ledger.
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT k.sku, k.warehouse_id, COALESCE(st.on_hand, 0),"
                   "       COALESCE((SELECT SUM(delta) FROM adjustments a WHERE a.sku = k.sku"
                   "                 AND a.warehouse_id = k.warehouse_id), 0) AS expected"
                   " FROM (SELECT sku, warehouse_id FROM stock UNION"
                   "       SELECT sku, warehouse_id FROM adjustments) k"
                   " LEFT JOIN stock st ON st.sku = k.sku AND st.warehouse_id = k.warehouse_id"
                   " WHERE COALESCE(st.on_hand, 0) != expected",
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
