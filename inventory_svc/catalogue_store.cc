// The inventory store: products and warehouses.
#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/store_rows.h"
#include "platform/base/status.h"

namespace oms::inventory::store {

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
      .Exec(
          absl::StrCat("INSERT INTO warehouses(", kWarehouseColumns,
                       ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
          {w.warehouse_id(), w.name(), w.region(), w.priority(), w.active(), Micros(w.created_at()),
           Micros(w.updated_at()), w.cutoff_minute(), w.utc_offset_minutes(), w.handling_days()})
      .status();
}

absl::Status SaveWarehouse(Session& s, const v1::Warehouse& w) {
  return ExpectOneRow(
      s.Exec("UPDATE warehouses SET name = ?, region = ?, priority = ?,"
             " active = ?, updated_us = ?, cutoff_minute = ?,"
             " utc_offset_minutes = ?, handling_days = ? WHERE warehouse_id = ?",
             {w.name(), w.region(), w.priority(), w.active(), Micros(w.updated_at()),
              w.cutoff_minute(), w.utc_offset_minutes(), w.handling_days(), w.warehouse_id()}),
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

}  // namespace oms::inventory::store
