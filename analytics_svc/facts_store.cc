#include "analytics_svc/facts_store.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics::facts {
namespace {

absl::Status Exec(Session& s, absl::string_view sql, absl::Span<const SqlArg> args) {
  return s.Exec(sql, args).status();
}

absl::Status ReplaceLines(Session& s, const order::v1::Order& order) {
  OMS_RETURN_IF_ERROR(Exec(s, "DELETE FROM fact_lines WHERE order_id = ?", {order.order_id()}));
  for (const order::v1::OrderLine& line : order.lines()) {
    OMS_RETURN_IF_ERROR(Exec(s,
                             "INSERT INTO fact_lines(order_id, sku, quantity, unit_minor, currency)"
                             " VALUES(?, ?, ?, ?, ?) ON CONFLICT(order_id, sku) DO UPDATE SET"
                             " quantity = excluded.quantity, unit_minor = excluded.unit_minor,"
                             " currency = excluded.currency",
                             {order.order_id(), line.sku(), line.quantity(),
                              line.unit_price().minor_units(), order.currency_code()}));
  }
  return absl::OkStatus();
}

absl::Status AddStageTime(Session& s, const std::string& order_id, const std::string& stage,
                          int64_t at_us) {
  return Exec(s, "INSERT OR IGNORE INTO fact_stage_times(order_id, stage, at_us) VALUES(?, ?, ?)",
              {order_id, stage, at_us});
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE fact_orders (order_id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
      "  currency TEXT NOT NULL, total_minor INTEGER NOT NULL, customer TEXT NOT NULL,"
      "  created_us INTEGER NOT NULL, status TEXT NOT NULL, cancelled INTEGER NOT NULL,"
      "  cancel_reason TEXT NOT NULL);"
      "CREATE INDEX fact_orders_created ON fact_orders(created_us);"
      "CREATE TABLE fact_stage_times (order_id TEXT NOT NULL, stage TEXT NOT NULL,"
      "  at_us INTEGER NOT NULL, PRIMARY KEY (order_id, stage));"
      "CREATE TABLE fact_lines (order_id TEXT NOT NULL, sku TEXT NOT NULL,"
      "  quantity INTEGER NOT NULL, unit_minor INTEGER NOT NULL, currency TEXT NOT NULL,"
      "  PRIMARY KEY (order_id, sku));"
      "CREATE TABLE fact_returns (order_id TEXT NOT NULL, sku TEXT NOT NULL,"
      "  quantity INTEGER NOT NULL, PRIMARY KEY (order_id, sku));"
      "CREATE TABLE fact_products (sku TEXT PRIMARY KEY, category TEXT NOT NULL);"
      "CREATE TABLE fact_shipments (shipment_id TEXT PRIMARY KEY, order_id TEXT NOT NULL,"
      "  carrier_id TEXT NOT NULL, service_level TEXT NOT NULL, created_us INTEGER NOT NULL,"
      "  promised_us INTEGER NOT NULL, picked_up_us INTEGER, delivered_us INTEGER,"
      "  delayed INTEGER NOT NULL, lost INTEGER NOT NULL, failed INTEGER NOT NULL);"
      "CREATE TABLE fact_exceptions (ticket_id TEXT PRIMARY KEY, order_id TEXT NOT NULL,"
      "  type TEXT NOT NULL, grp TEXT NOT NULL, opened_us INTEGER NOT NULL,"
      "  resolved_us INTEGER, resolution TEXT NOT NULL, escalated INTEGER NOT NULL);"
      "CREATE TABLE fact_low_stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL,"
      "  safety_stock INTEGER NOT NULL, at_us INTEGER NOT NULL);"
      "CREATE TABLE fact_backorders (order_id TEXT NOT NULL, sku TEXT NOT NULL,"
      "  quantity INTEGER NOT NULL, created_us INTEGER NOT NULL, served_us INTEGER,"
      "  PRIMARY KEY (order_id, sku));"
      // One row per stock movement event, keyed by the event: re-applying is harmless.
      "CREATE TABLE fact_movements (event_id TEXT NOT NULL, sku TEXT NOT NULL,"
      "  kind TEXT NOT NULL, quantity INTEGER NOT NULL, at_us INTEGER NOT NULL,"
      "  PRIMARY KEY (event_id, sku, kind));",
      // Version 2: notification outcomes.
      "CREATE TABLE fact_notifications (message_id TEXT PRIMARY KEY, channel TEXT NOT NULL,"
      "  event_type TEXT NOT NULL, outcome TEXT NOT NULL, attempts INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL, at_us INTEGER NOT NULL);"
      "CREATE INDEX fact_notifications_created ON fact_notifications(created_us);",
      // Version 3: refunds netted in the order stats; signed on-hand changes per warehouse
      // (ledger adjustments and shipments), for turnover and days of cover.
      "ALTER TABLE fact_orders ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0;"
      "CREATE TABLE fact_stock_changes (event_id TEXT NOT NULL, sku TEXT NOT NULL,"
      "  warehouse_id TEXT NOT NULL, delta INTEGER NOT NULL, shipped INTEGER NOT NULL,"
      "  at_us INTEGER NOT NULL, PRIMARY KEY (event_id, sku, warehouse_id));"
      "CREATE INDEX fact_stock_changes_time ON fact_stock_changes(sku, warehouse_id, at_us);",
      // Version 4: the delivery promised at placement.
      "ALTER TABLE fact_orders ADD COLUMN promised_us INTEGER;",
      // Version 5: survey answers and granted compensation.
      "CREATE TABLE fact_feedback (feedback_id TEXT PRIMARY KEY, order_id TEXT NOT NULL,"
      "  ticket_id TEXT NOT NULL, rating INTEGER NOT NULL, at_us INTEGER NOT NULL);"
      "CREATE TABLE fact_compensations (compensation_id TEXT PRIMARY KEY,"
      "  ticket_id TEXT NOT NULL, kind TEXT NOT NULL, currency TEXT NOT NULL,"
      "  amount_minor INTEGER NOT NULL, at_us INTEGER NOT NULL);",
      // Version 6: anomaly detection (anomaly_store.h). When a parcel was found late, the
      // customer's history by phone; detections, fitted baselines and false alarms are kept
      // apart from the facts (a rebuild does not clear them).
      "ALTER TABLE fact_shipments ADD COLUMN delayed_us INTEGER;"
      "CREATE INDEX fact_orders_customer ON fact_orders(customer, created_us);"
      "CREATE TABLE anomalies (anomaly_id TEXT PRIMARY KEY, kind INTEGER NOT NULL,"
      "  metric TEXT NOT NULL, dimension TEXT NOT NULL, subject TEXT NOT NULL,"
      "  order_id TEXT NOT NULL, state INTEGER NOT NULL, detected_us INTEGER NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE INDEX anomalies_subject ON anomalies(metric, dimension, subject, state);"
      "CREATE INDEX anomalies_order ON anomalies(order_id);"
      "CREATE TABLE baselines (metric TEXT NOT NULL, dimension TEXT NOT NULL,"
      "  subject TEXT NOT NULL, hour_of_day INTEGER NOT NULL, body BLOB NOT NULL,"
      "  PRIMARY KEY (metric, dimension, subject, hour_of_day));"
      "CREATE TABLE anomaly_dismissals (metric TEXT NOT NULL, dimension TEXT NOT NULL,"
      "  subject TEXT NOT NULL, dismissals INTEGER NOT NULL,"
      "  PRIMARY KEY (metric, dimension, subject));",
      // Version 7: the warehouse a parcel left from (anomalies per warehouse).
      "ALTER TABLE fact_shipments ADD COLUMN warehouse_id TEXT NOT NULL DEFAULT '';",
  };
  return *migrations;
}

absl::Status AddOrder(Session& s, const order::v1::Order& o) {
  OMS_RETURN_IF_ERROR(Exec(
      s,
      "INSERT OR IGNORE INTO fact_orders(order_id, channel, currency, total_minor, customer,"
      " created_us, status, cancelled, cancel_reason, promised_us)"
      " VALUES(?, ?, ?, ?, ?, ?, ?, 0, '', ?)",
      {o.order_id(), order::v1::Channel_Name(o.channel()), o.currency_code(),
       // The customer as a keyed hash (crypto::LookupKey): repeat orders still group together.
       o.total().minor_units(), crypto::LookupKey(o.customer().phone()),
       ProtoMicros(o.created_at()), order::v1::OrderStatus_Name(o.status()),
       o.has_promised_delivery() ? SqlArg(ProtoMicros(o.promised_delivery())) : SqlArg(nullptr)}));
  OMS_RETURN_IF_ERROR(AddStageTime(s, o.order_id(), "RECEIVED", ProtoMicros(o.created_at())));
  return ReplaceLines(s, o);
}

absl::Status UpdateOrder(Session& s, const order::v1::Order& order) {
  OMS_RETURN_IF_ERROR(Exec(s, "UPDATE fact_orders SET total_minor = ? WHERE order_id = ?",
                           {order.total().minor_units(), order.order_id()}));
  return ReplaceLines(s, order);
}

absl::Status SetOrderStatus(Session& s, const std::string& order_id, order::v1::OrderStatus to,
                            int64_t at_us) {
  std::string name = order::v1::OrderStatus_Name(to);
  OMS_RETURN_IF_ERROR(
      Exec(s, "UPDATE fact_orders SET status = ? WHERE order_id = ?", {name, order_id}));
  return AddStageTime(s, order_id, name, at_us);
}

absl::Status SetRefunded(Session& s, const std::string& order_id, int64_t refunded_minor) {
  return Exec(s, "UPDATE fact_orders SET refunded_minor = ? WHERE order_id = ?",
              {refunded_minor, order_id});
}

absl::Status AddStockChange(Session& s, const std::string& event_id, const std::string& sku,
                            const std::string& warehouse_id, int64_t delta, bool shipped,
                            int64_t at_us) {
  return Exec(s,
              "INSERT INTO fact_stock_changes(event_id, sku, warehouse_id, delta, shipped, at_us)"
              " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(event_id, sku, warehouse_id) DO NOTHING",
              {event_id, sku, warehouse_id, delta, shipped, at_us});
}

absl::Status AddFeedback(Session& s, const orchestrator::v1::Feedback& f, int64_t at_us) {
  return Exec(s,
              "INSERT INTO fact_feedback(feedback_id, order_id, ticket_id, rating, at_us)"
              " VALUES(?, ?, ?, ?, ?) ON CONFLICT(feedback_id) DO NOTHING",
              {f.feedback_id(), f.order_id(), f.ticket_id(), f.rating(), at_us});
}

absl::Status AddCompensation(Session& s, const orchestrator::v1::Compensation& c, int64_t at_us) {
  return Exec(
      s,
      "INSERT INTO fact_compensations(compensation_id, ticket_id, kind, currency,"
      " amount_minor, at_us) VALUES(?, ?, ?, ?, ?, ?)"
      " ON CONFLICT(compensation_id) DO NOTHING",
      {c.compensation_id(), c.ticket_id(), orchestrator::v1::CompensationKind_Name(c.kind()),
       c.amount().currency_code(), c.amount().minor_units(), at_us});
}

absl::Status MarkCancelled(Session& s, const std::string& order_id, const std::string& reason) {
  return Exec(s, "UPDATE fact_orders SET cancelled = 1, cancel_reason = ? WHERE order_id = ?",
              {reason, order_id});
}

absl::Status AddReturnLines(Session& s, const orchestrator::v1::ReturnRecord& record) {
  for (const auto& line : record.lines()) {
    OMS_RETURN_IF_ERROR(Exec(s,
                             "INSERT INTO fact_returns(order_id, sku, quantity)"
                             " VALUES(?, ?, ?) ON CONFLICT(order_id, sku) DO UPDATE SET"
                             " quantity = excluded.quantity",
                             {record.order_id(), line.sku(), line.quantity()}));
  }
  return absl::OkStatus();
}

absl::Status AddShipment(Session& s, const logistics::v1::Shipment& sh) {
  return Exec(s,
              "INSERT OR IGNORE INTO fact_shipments(shipment_id, order_id, carrier_id,"
              " service_level, created_us, promised_us, delayed, lost, failed, warehouse_id)"
              " VALUES(?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
              {sh.shipment_id(), sh.order_id(), sh.carrier_id(),
               logistics::v1::ServiceLevel_Name(sh.service_level()), ProtoMicros(sh.created_at()),
               ProtoMicros(sh.promised_delivery()), sh.warehouse_id()});
}

absl::Status MarkPickedUp(Session& s, const std::string& shipment_id, int64_t at_us) {
  return Exec(s,
              "UPDATE fact_shipments SET picked_up_us = COALESCE(picked_up_us, ?)"
              " WHERE shipment_id = ?",
              {at_us, shipment_id});
}

absl::Status MarkDeliveryFailed(Session& s, const std::string& shipment_id) {
  return Exec(s, "UPDATE fact_shipments SET failed = 1 WHERE shipment_id = ?", {shipment_id});
}

absl::Status MarkDelivered(Session& s, const std::string& shipment_id, int64_t at_us) {
  return Exec(s, "UPDATE fact_shipments SET delivered_us = ? WHERE shipment_id = ?",
              {at_us, shipment_id});
}

absl::Status MarkDelayed(Session& s, const std::string& shipment_id, int64_t at_us) {
  return Exec(s,
              "UPDATE fact_shipments SET delayed = 1, delayed_us = COALESCE(delayed_us, ?)"
              " WHERE shipment_id = ?",
              {at_us, shipment_id});
}

absl::Status MarkLost(Session& s, const std::string& shipment_id) {
  return Exec(s, "UPDATE fact_shipments SET lost = 1 WHERE shipment_id = ?", {shipment_id});
}

absl::Status RecordTicket(Session& s, const orchestrator::v1::ExceptionTicket& t) {
  OMS_RETURN_IF_ERROR(
      Exec(s,
           "INSERT OR IGNORE INTO fact_exceptions(ticket_id, order_id, type, grp, opened_us,"
           " escalated, resolution) VALUES(?, ?, ?, ?, ?, 0, '')",
           {t.ticket_id(), t.order_id(), orchestrator::v1::ExceptionType_Name(t.type()), t.group(),
            ProtoMicros(t.created_at())}));
  if (t.escalation_level() > 0) {
    OMS_RETURN_IF_ERROR(
        Exec(s, "UPDATE fact_exceptions SET escalated = 1 WHERE ticket_id = ?", {t.ticket_id()}));
  }
  if (t.status() == orchestrator::v1::ExceptionTicket::OPEN) return absl::OkStatus();
  return Exec(s,
              "UPDATE fact_exceptions SET resolved_us = COALESCE(resolved_us, ?),"
              " resolution = ? WHERE ticket_id = ?",
              {ProtoMicros(t.updated_at()), orchestrator::v1::Resolution_Name(t.resolution()),
               t.ticket_id()});
}

absl::Status SetCategory(Session& s, const std::string& sku, const std::string& category) {
  return Exec(s,
              "INSERT INTO fact_products(sku, category) VALUES(?, ?)"
              " ON CONFLICT(sku) DO UPDATE SET category = excluded.category",
              {sku, category});
}

absl::Status SetLowStock(Session& s, const inventory::v1::LowStock& low, int64_t at_us) {
  return Exec(s,
              "INSERT INTO fact_low_stock(sku, available, safety_stock, at_us)"
              " VALUES(?, ?, ?, ?) ON CONFLICT(sku) DO UPDATE SET"
              " available = excluded.available, safety_stock = excluded.safety_stock,"
              " at_us = excluded.at_us",
              {low.sku(), low.available(), low.safety_stock(), at_us});
}

absl::Status AddBackorder(Session& s, const inventory::v1::Backordered& backordered,
                          int64_t at_us) {
  for (const auto& line : backordered.lines()) {
    OMS_RETURN_IF_ERROR(Exec(s,
                             "INSERT OR IGNORE INTO fact_backorders(order_id, sku, quantity,"
                             " created_us) VALUES(?, ?, ?, ?)",
                             {backordered.order_id(), line.sku(), line.quantity(), at_us}));
  }
  return absl::OkStatus();
}

absl::Status ServeBackorder(Session& s, const inventory::v1::BackorderAllocation& allocation,
                            int64_t at_us) {
  OMS_RETURN_IF_ERROR(Exec(s,
                           "UPDATE fact_backorders SET served_us = COALESCE(served_us, ?)"
                           " WHERE order_id = ?",
                           {at_us, allocation.order_id()}));
  for (const auto& waiting : allocation.still_waiting()) {
    OMS_RETURN_IF_ERROR(Exec(s,
                             "UPDATE fact_backorders SET served_us = NULL, quantity = ?"
                             " WHERE order_id = ? AND sku = ?",
                             {waiting.quantity(), allocation.order_id(), waiting.sku()}));
  }
  return absl::OkStatus();
}

absl::Status AddMovement(Session& s, const std::string& event_id, const std::string& sku,
                         Movement kind, int64_t quantity, int64_t at_us) {
  return Exec(
      s,
      "INSERT OR IGNORE INTO fact_movements(event_id, sku, kind, quantity, at_us)"
      " VALUES(?, ?, ?, ?, ?)",
      {event_id, sku, kind == Movement::kReceived ? "received" : "shipped", quantity, at_us});
}

absl::Status RecordNotification(Session& s, const notify::v1::Message& m, Outcome outcome,
                                int64_t at_us) {
  return Exec(s,
              "INSERT INTO fact_notifications(message_id, channel, event_type, outcome,"
              " attempts, created_us, at_us) VALUES(?, ?, ?, ?, ?, ?, ?)"
              " ON CONFLICT(message_id) DO UPDATE SET channel = excluded.channel,"
              " event_type = excluded.event_type, outcome = excluded.outcome,"
              " attempts = excluded.attempts, created_us = excluded.created_us,"
              " at_us = excluded.at_us",
              {m.message_id(), notify::v1::Channel_Name(m.channel()), m.event_type(),
               outcome == Outcome::kSent ? "sent" : "dead", static_cast<int64_t>(m.attempts()),
               ProtoMicros(m.created_at()), at_us});
}

absl::Status Clear(Session& s) {
  for (const char* table :
       {"fact_orders", "fact_stage_times", "fact_lines", "fact_returns", "fact_products",
        "fact_shipments", "fact_exceptions", "fact_low_stock", "fact_backorders", "fact_movements",
        "fact_notifications", "fact_stock_changes", "fact_feedback", "fact_compensations",
        "feed_cursors"}) {
    OMS_RETURN_IF_ERROR(Exec(s, absl::StrCat("DELETE FROM ", table), {}));
  }
  return absl::OkStatus();
}

}  // namespace oms::analytics::facts
