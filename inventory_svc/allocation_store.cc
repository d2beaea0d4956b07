// The inventory store: allocation records and reservations.
#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/store_rows.h"
#include "platform/base/status.h"

namespace oms::inventory::store {

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
               " ON CONFLICT(order_id, sku) DO UPDATE SET quantity = demand.quantity + "
               "excluded.quantity",
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

}  // namespace oms::inventory::store
