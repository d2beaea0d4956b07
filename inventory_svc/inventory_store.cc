#include "inventory_svc/inventory_store.h"

#include <iterator>

namespace oms::inventory::store {

namespace {

// The schema, one entry per version; an applied version is never edited.
const char* const kMigrations[] = {
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
    // Purchasing (purchase_store.h): records as protos beside the columns searched by;
    // purchase_order_lines keeps what each open order still brings, per sku.
    "CREATE TABLE suppliers ("
    "  supplier_id TEXT PRIMARY KEY,"
    "  active INTEGER NOT NULL,"
    "  body BLOB NOT NULL);"
    "CREATE TABLE supply_terms ("
    "  sku TEXT NOT NULL,"
    "  supplier_id TEXT NOT NULL REFERENCES suppliers(supplier_id),"
    "  PRIMARY KEY (sku, supplier_id));"
    "CREATE TABLE purchase_orders ("
    "  purchase_order_id TEXT PRIMARY KEY,"
    "  supplier_id TEXT NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  expected_us INTEGER,"
    "  overdue INTEGER NOT NULL,"
    "  created_us INTEGER NOT NULL,"
    "  body BLOB NOT NULL);"
    "CREATE INDEX purchase_orders_listed ON purchase_orders(created_us, purchase_order_id);"
    "CREATE INDEX purchase_orders_status ON purchase_orders(status, expected_us);"
    "CREATE TABLE purchase_order_lines ("
    "  purchase_order_id TEXT NOT NULL REFERENCES purchase_orders(purchase_order_id),"
    "  sku TEXT NOT NULL,"
    "  outstanding INTEGER NOT NULL CHECK (outstanding >= 0),"
    "  open INTEGER NOT NULL,"
    "  PRIMARY KEY (purchase_order_id, sku));"
    "CREATE INDEX purchase_order_lines_sku ON purchase_order_lines(sku, open);",
    // Handling times and daily cut-offs, for delivery promises.
    "ALTER TABLE warehouses ADD COLUMN cutoff_minute INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE warehouses ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE warehouses ADD COLUMN handling_days INTEGER NOT NULL DEFAULT 0;",
};

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations =
      new std::vector<Migration>(std::begin(kMigrations), std::end(kMigrations));
  return *migrations;
}

// ---- products and warehouses

}  // namespace oms::inventory::store
