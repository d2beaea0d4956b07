#include "inventory_svc/store_rows.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace oms::inventory::store {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

google::protobuf::Timestamp FromMicros(int64_t us) { return TimeUtil::MicrosecondsToTimestamp(us); }

const char kProductColumns[] =
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

const char kWarehouseColumns[] =
    "warehouse_id, name, region, priority, active, created_us, updated_us, cutoff_minute,"
    " utc_offset_minutes, handling_days";

v1::Warehouse WarehouseFromRow(const Rows& r) {
  v1::Warehouse w;
  w.set_warehouse_id(r.Text(0));
  w.set_name(r.Text(1));
  w.set_region(r.Text(2));
  w.set_priority(static_cast<int32_t>(r.Int(3)));
  w.set_active(r.Int(4) != 0);
  *w.mutable_created_at() = FromMicros(r.Int(5));
  *w.mutable_updated_at() = FromMicros(r.Int(6));
  w.set_cutoff_minute(static_cast<int32_t>(r.Int(7)));
  w.set_utc_offset_minutes(static_cast<int32_t>(r.Int(8)));
  w.set_handling_days(static_cast<int32_t>(r.Int(9)));
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

const char kAdjustmentColumns[] =
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

const char kReservationColumns[] =
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

void FilterEquals(std::string& sql, std::vector<SqlArg>& args, const char* column,
                  const std::string& value) {
  if (value.empty()) return;
  absl::StrAppend(&sql, " AND ", column, " = ?");
  args.emplace_back(value);
}

}  // namespace oms::inventory::store
