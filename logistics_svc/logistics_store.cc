#include "logistics_svc/logistics_store.h"

#include <iterator>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/storage/list_query.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics::store {
namespace {

template <typename T>
absl::StatusOr<T> One(Session& s, const std::string& sql, absl::Span<const SqlArg> args,
                      const std::string& missing) {
  OMS_ASSIGN_OR_RETURN(std::vector<T> found, QueryProtos<T>(s, sql, args));
  if (found.empty()) return absl::NotFoundError(missing);
  return std::move(found[0]);
}

// The columns a shipment is searched and swept by, in the order of kShipmentColumns.
constexpr char kShipmentColumns[] =
    "order_id, warehouse_id, carrier_id, service_level, tracking_number, state, progress,"
    " reship_of, created_us, updated_us, promised_us, last_event_us, delivered_us,"
    " delay_detected, lost_detected, body";

std::vector<SqlArg> ShipmentValues(const v1::Shipment& sh, const std::string& body) {
  return {sh.order_id(),
          sh.warehouse_id(),
          sh.carrier_id(),
          static_cast<int>(sh.service_level()),
          sh.tracking_number(),
          static_cast<int>(sh.state()),
          static_cast<int>(sh.progress()),
          sh.reship_of(),
          ProtoMicros(sh.created_at()),
          ProtoMicros(sh.updated_at()),
          ProtoMicros(sh.promised_delivery()),
          sh.has_last_event_at() ? SqlArg(ProtoMicros(sh.last_event_at())) : SqlArg(nullptr),
          sh.has_delivery() ? SqlArg(ProtoMicros(sh.delivery().delivered_at())) : SqlArg(nullptr),
          sh.has_delay_detected_at(),
          sh.has_lost_detected_at(),
          SqlArg::Blob(body)};
}

}  // namespace

namespace {

// Delivered and on-time counts per carrier and service level, kept by triggers on every
// write to shipments: carrier choice reads a few rows instead of averaging the whole
// shipment history on every CreateShipment (which grew with the store). Triggers are
// written once per engine.
constexpr char kOnTimeCountsSqlite[] =
    "CREATE TABLE carrier_on_time ("
    "  carrier_id TEXT NOT NULL, service_level INTEGER NOT NULL,"
    "  delivered INTEGER NOT NULL, on_time INTEGER NOT NULL,"
    "  PRIMARY KEY (carrier_id, service_level));"
    "INSERT INTO carrier_on_time"
    "  SELECT carrier_id, service_level, COUNT(*),"
    "    SUM(CASE WHEN delivered_us <= promised_us THEN 1 ELSE 0 END)"
    "  FROM shipments WHERE delivered_us IS NOT NULL GROUP BY carrier_id, service_level;"
    "CREATE TRIGGER shipments_count_insert AFTER INSERT ON shipments"
    "  WHEN NEW.delivered_us IS NOT NULL BEGIN"
    "  INSERT INTO carrier_on_time VALUES(NEW.carrier_id, NEW.service_level, 1,"
    "    CASE WHEN NEW.delivered_us <= NEW.promised_us THEN 1 ELSE 0 END)"
    "  ON CONFLICT(carrier_id, service_level) DO UPDATE SET delivered = delivered + 1,"
    "    on_time = on_time + excluded.on_time;"
    "  END;"
    "CREATE TRIGGER shipments_count_update"
    "  AFTER UPDATE OF carrier_id, service_level, promised_us, delivered_us ON shipments"
    "  BEGIN"
    "  UPDATE carrier_on_time SET delivered = delivered - 1, on_time = on_time -"
    "    (CASE WHEN OLD.delivered_us <= OLD.promised_us THEN 1 ELSE 0 END)"
    "  WHERE OLD.delivered_us IS NOT NULL"
    "    AND carrier_id = OLD.carrier_id AND service_level = OLD.service_level;"
    "  INSERT INTO carrier_on_time SELECT NEW.carrier_id, NEW.service_level, 1,"
    "    CASE WHEN NEW.delivered_us <= NEW.promised_us THEN 1 ELSE 0 END"
    "  WHERE NEW.delivered_us IS NOT NULL"
    "  ON CONFLICT(carrier_id, service_level) DO UPDATE SET delivered = delivered + 1,"
    "    on_time = on_time + excluded.on_time;"
    "  END;"
    "CREATE TRIGGER shipments_count_delete AFTER DELETE ON shipments"
    "  WHEN OLD.delivered_us IS NOT NULL BEGIN"
    "  UPDATE carrier_on_time SET delivered = delivered - 1, on_time = on_time -"
    "    (CASE WHEN OLD.delivered_us <= OLD.promised_us THEN 1 ELSE 0 END)"
    "  WHERE carrier_id = OLD.carrier_id AND service_level = OLD.service_level;"
    "  END;";

constexpr char kOnTimeCountsPostgres[] =
    "CREATE TABLE carrier_on_time ("
    "  carrier_id TEXT NOT NULL, service_level BIGINT NOT NULL,"
    "  delivered BIGINT NOT NULL, on_time BIGINT NOT NULL,"
    "  PRIMARY KEY (carrier_id, service_level));"
    "INSERT INTO carrier_on_time"
    "  SELECT carrier_id, service_level, COUNT(*),"
    "    SUM(CASE WHEN delivered_us <= promised_us THEN 1 ELSE 0 END)"
    "  FROM shipments WHERE delivered_us IS NOT NULL GROUP BY carrier_id, service_level;"
    "CREATE FUNCTION carrier_on_time_count() RETURNS trigger LANGUAGE plpgsql AS $$"
    "BEGIN"
    "  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.delivered_us IS NOT NULL THEN"
    "    UPDATE carrier_on_time SET delivered = delivered - 1, on_time = on_time -"
    "      (CASE WHEN OLD.delivered_us <= OLD.promised_us THEN 1 ELSE 0 END)"
    "    WHERE carrier_id = OLD.carrier_id AND service_level = OLD.service_level;"
    "  END IF;"
    "  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.delivered_us IS NOT NULL THEN"
    "    INSERT INTO carrier_on_time VALUES(NEW.carrier_id, NEW.service_level, 1,"
    "      CASE WHEN NEW.delivered_us <= NEW.promised_us THEN 1 ELSE 0 END)"
    "    ON CONFLICT(carrier_id, service_level) DO UPDATE"
    "      SET delivered = carrier_on_time.delivered + 1,"
    "      on_time = carrier_on_time.on_time + excluded.on_time;"
    "  END IF;"
    "  RETURN NULL;"
    "END $$;"
    "CREATE TRIGGER shipments_count"
    "  AFTER INSERT OR DELETE OR UPDATE OF carrier_id, service_level, promised_us,"
    "  delivered_us ON shipments FOR EACH ROW EXECUTE FUNCTION carrier_on_time_count();";

// The schema, one entry per version; an applied version is never edited.
std::vector<Migration>* NewMigrations() {
  return new std::vector<Migration>{
      "CREATE TABLE carriers ("
      "  carrier_id TEXT PRIMARY KEY,"
      "  active INTEGER NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE TABLE shipments ("
      "  shipment_id TEXT PRIMARY KEY,"
      "  order_id TEXT NOT NULL,"
      "  warehouse_id TEXT NOT NULL,"
      "  carrier_id TEXT NOT NULL,"
      "  service_level INTEGER NOT NULL,"
      "  tracking_number TEXT NOT NULL UNIQUE,"
      "  state INTEGER NOT NULL,"
      "  progress INTEGER NOT NULL,"
      "  reship_of TEXT NOT NULL,"
      "  created_us INTEGER NOT NULL,"
      "  updated_us INTEGER NOT NULL,"
      "  promised_us INTEGER NOT NULL,"
      "  last_event_us INTEGER,"
      "  delivered_us INTEGER,"
      "  delay_detected INTEGER NOT NULL,"
      "  lost_detected INTEGER NOT NULL,"
      "  body BLOB NOT NULL);"
      // One live original shipment per (order, warehouse); reshipments and cancelled ones
      // do not count.
      "CREATE UNIQUE INDEX shipments_order_warehouse ON shipments(order_id, warehouse_id)"
      "  WHERE reship_of = '' AND state != 10;"
      "CREATE INDEX shipments_order ON shipments(order_id);"
      "CREATE INDEX shipments_created ON shipments(created_us DESC, shipment_id DESC);"
      "CREATE INDEX shipments_carrier ON shipments(carrier_id, created_us);"
      "CREATE INDEX shipments_state ON shipments(state, promised_us);"
      "CREATE TABLE tracking_events ("
      "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  tracking_number TEXT NOT NULL,"
      "  carrier_id TEXT NOT NULL,"
      "  carrier_event_id TEXT NOT NULL,"
      "  occurred_us INTEGER NOT NULL,"
      "  body BLOB NOT NULL,"
      "  UNIQUE (carrier_id, carrier_event_id));"
      "CREATE INDEX tracking_events_parcel ON tracking_events(tracking_number, occurred_us);",
      Migration::PerEngine(kOnTimeCountsSqlite, kOnTimeCountsPostgres),
  };
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations = NewMigrations();
  return *migrations;
}

absl::Status InsertCarrier(Session& s, const v1::Carrier& c) {
  return s
      .Exec("INSERT INTO carriers(carrier_id, active, body) VALUES(?, ?, ?)",
            {c.carrier_id(), c.active(), SqlArg::Blob(SerializeProto(c))})
      .status();
}

absl::Status SaveCarrier(Session& s, const v1::Carrier& c) {
  OMS_ASSIGN_OR_RETURN(int64_t changed,
                       s.Exec("UPDATE carriers SET active = ?, body = ? WHERE carrier_id = ?",
                              {c.active(), SqlArg::Blob(SerializeProto(c)), c.carrier_id()}));
  if (changed != 1) {
    return absl::NotFoundError(absl::StrCat("carrier \"", c.carrier_id(), "\" does not exist"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Carrier> LoadCarrier(Session& s, absl::string_view carrier_id) {
  return One<v1::Carrier>(s, "SELECT body FROM carriers WHERE carrier_id = ?", {carrier_id},
                          absl::StrCat("carrier \"", carrier_id, "\" does not exist"));
}

absl::StatusOr<std::vector<v1::Carrier>> ListCarriers(Session& s, bool active_only) {
  return QueryProtos<v1::Carrier>(
      s,
      active_only ? "SELECT body FROM carriers WHERE active = 1 ORDER BY carrier_id"
                  : "SELECT body FROM carriers ORDER BY carrier_id",
      {});
}

absl::Status InsertShipment(Session& s, const v1::Shipment& sh) {
  std::string body = SerializeProto(sh);
  std::vector<SqlArg> values = ShipmentValues(sh, body);
  values.insert(values.begin(), SqlArg(sh.shipment_id()));
  return s
      .Exec(absl::StrCat("INSERT INTO shipments(shipment_id, ", kShipmentColumns,
                         ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            values)
      .status();
}

absl::Status SaveShipment(Session& s, const v1::Shipment& sh) {
  std::string body = SerializeProto(sh);
  std::vector<SqlArg> values = ShipmentValues(sh, body);
  values.emplace_back(sh.shipment_id());
  OMS_ASSIGN_OR_RETURN(
      int64_t changed,
      s.Exec("UPDATE shipments SET order_id = ?, warehouse_id = ?, carrier_id = ?,"
             " service_level = ?, tracking_number = ?, state = ?, progress = ?, reship_of = ?,"
             " created_us = ?, updated_us = ?, promised_us = ?, last_event_us = ?,"
             " delivered_us = ?, delay_detected = ?, lost_detected = ?, body = ?"
             " WHERE shipment_id = ?",
             values));
  if (changed != 1) return absl::NotFoundError(absl::StrCat("shipment ", sh.shipment_id()));
  return absl::OkStatus();
}

absl::StatusOr<v1::Shipment> LoadShipment(Session& s, absl::string_view shipment_id) {
  return One<v1::Shipment>(s, "SELECT body FROM shipments WHERE shipment_id = ?", {shipment_id},
                           absl::StrCat("shipment \"", shipment_id, "\" does not exist"));
}

absl::StatusOr<v1::Shipment> LoadShipmentByTracking(Session& s, absl::string_view tracking_number) {
  return One<v1::Shipment>(
      s, "SELECT body FROM shipments WHERE tracking_number = ?", {tracking_number},
      absl::StrCat("no shipment has tracking number \"", tracking_number, "\""));
}

absl::StatusOr<std::optional<v1::Shipment>> FindShipment(Session& s, absl::string_view order_id,
                                                         absl::string_view warehouse_id) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::Shipment> found,
      QueryProtos<v1::Shipment>(s,
                                "SELECT body FROM shipments WHERE order_id = ? AND warehouse_id = ?"
                                " AND reship_of = '' AND state != 10",
                                {order_id, warehouse_id}));
  if (found.empty()) return std::optional<v1::Shipment>();
  return std::optional<v1::Shipment>(std::move(found[0]));
}

absl::StatusOr<std::vector<v1::Shipment>> ListShipments(Session& s, const ShipmentQuery& q) {
  ListQuery query("SELECT body FROM shipments");
  query.Equal("order_id", q.order_id).Equal("carrier_id", q.carrier_id).In("state", q.states);
  query.Created(q.created_from_us, q.created_to_us).NewestFirst("shipment_id", q.after, q.limit);
  return QueryProtos<v1::Shipment>(s, query.sql(), query.args());
}

absl::StatusOr<bool> InsertTrackingEvent(Session& s, absl::string_view carrier_id,
                                         const v1::TrackingEvent& event) {
  OMS_ASSIGN_OR_RETURN(
      int64_t inserted,
      s.Exec("INSERT INTO tracking_events(tracking_number, carrier_id, carrier_event_id,"
             " occurred_us, body) VALUES(?, ?, ?, ?, ?)"
             " ON CONFLICT(carrier_id, carrier_event_id) DO NOTHING",
             {event.tracking_number(), carrier_id, event.carrier_event_id(),
              ProtoMicros(event.occurred_at()), SqlArg::Blob(SerializeProto(event))}));
  return inserted == 1;
}

absl::StatusOr<std::vector<v1::TrackingEvent>> Timeline(Session& s,
                                                        absl::string_view tracking_number) {
  return QueryProtos<v1::TrackingEvent>(
      s, "SELECT body FROM tracking_events WHERE tracking_number = ? ORDER BY occurred_us, id",
      {tracking_number});
}

absl::StatusOr<std::vector<v1::Shipment>> DelayCandidates(Session& s, absl::Time cutoff) {
  return QueryProtos<v1::Shipment>(
      s,
      "SELECT body FROM shipments WHERE delay_detected = 0 AND promised_us < ?"
      " AND state NOT IN (?, ?, ?) AND progress NOT IN (?, ?)",
      {absl::ToUnixMicros(cutoff), static_cast<int>(v1::DELIVERED),
       static_cast<int>(v1::RETURNED_TO_SENDER), static_cast<int>(v1::CANCELLED),
       static_cast<int>(v1::DELIVERED), static_cast<int>(v1::RETURNED_TO_SENDER)});
}

absl::StatusOr<std::vector<v1::Shipment>> LostCandidates(Session& s, absl::Time cutoff) {
  return QueryProtos<v1::Shipment>(
      s,
      "SELECT body FROM shipments WHERE lost_detected = 0 AND progress IN (?, ?, ?)"
      " AND state != ? AND COALESCE(last_event_us, created_us) < ?",
      {static_cast<int>(v1::PICKED_UP), static_cast<int>(v1::IN_TRANSIT),
       static_cast<int>(v1::OUT_FOR_DELIVERY), static_cast<int>(v1::CANCELLED),
       absl::ToUnixMicros(cutoff)});
}

absl::StatusOr<OnTimeRates> OnTimeHistory(Session& s) {
  OnTimeRates rates;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT carrier_id, service_level, CAST(on_time AS REAL) / delivered"
                   " FROM carrier_on_time WHERE delivered > 0",
                   {}, [&](const Rows& r) {
                     // Averages are ratios for display and tie-breaks, never money: a double is
                     // fine.
                     std::string text = r.Text(2);
                     rates[{r.Text(0), static_cast<int>(r.Int(1))}] = std::stod(text);
                     return absl::OkStatus();
                   }));
  return rates;
}

}  // namespace oms::logistics::store
