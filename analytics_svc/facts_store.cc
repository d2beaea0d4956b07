#include "analytics_svc/facts_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/notify/v1/notify.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/proto_rows.h"
#include "platform/status.h"

namespace oms::analytics::facts {
namespace {

// The payload decoded as T by its bytes: ticket events share one shape (the ticket first),
// and so do ShipmentDelayed and ShipmentLost, so one type reads them all.
template <typename T>
T Payload(const events::v1::Event& e) {
  T payload;
  payload.ParseFromString(e.payload().value());
  return payload;
}

absl::Status Exec(Session& s, absl::string_view sql, absl::Span<const SqlArg> args) {
  return s.Exec(sql, args).status();
}

absl::Status Stage(Session& s, const std::string& order_id, const std::string& stage, int64_t at) {
  return Exec(s, "INSERT OR IGNORE INTO fact_stage_times(order_id, stage, at_us) VALUES(?, ?, ?)",
              {order_id, stage, at});
}

absl::Status Lines(Session& s, const order::v1::Order& order) {
  OMS_RETURN_IF_ERROR(Exec(s, "DELETE FROM fact_lines WHERE order_id = ?", {order.order_id()}));
  for (const order::v1::OrderLine& line : order.lines()) {
    OMS_RETURN_IF_ERROR(
        Exec(s,
             "INSERT OR REPLACE INTO fact_lines(order_id, sku, quantity, unit_minor,"
             " currency) VALUES(?, ?, ?, ?, ?)",
             {order.order_id(), line.sku(), line.quantity(), line.unit_price().minor_units(),
              order.currency_code()}));
  }
  return absl::OkStatus();
}

absl::Status ApplyOrder(Session& s, const events::v1::Event& e, int64_t at) {
  if (e.type() == "OrderCreated") {
    auto p = Payload<order::v1::OrderCreated>(e);
    const order::v1::Order& o = p.order();
    OMS_RETURN_IF_ERROR(
        Exec(s,
             "INSERT OR IGNORE INTO fact_orders(order_id, channel, currency, total_minor, customer,"
             " created_us, status, cancelled, cancel_reason) VALUES(?, ?, ?, ?, ?, ?, ?, 0, '')",
             {o.order_id(), order::v1::Channel_Name(o.channel()), o.currency_code(),
              o.total().minor_units(), o.customer().phone(), ProtoMicros(o.created_at()),
              order::v1::OrderStatus_Name(o.status())}));
    OMS_RETURN_IF_ERROR(Stage(s, o.order_id(), "RECEIVED", ProtoMicros(o.created_at())));
    return Lines(s, o);
  }
  if (e.type() == "OrderUpdated") {
    auto p = Payload<order::v1::OrderUpdated>(e);
    OMS_RETURN_IF_ERROR(Exec(s, "UPDATE fact_orders SET total_minor = ? WHERE order_id = ?",
                             {p.order().total().minor_units(), p.order_id()}));
    return Lines(s, p.order());
  }
  if (e.type() == "OrderStatusChanged") {
    auto p = Payload<order::v1::OrderStatusChanged>(e);
    std::string to = order::v1::OrderStatus_Name(p.to_status());
    OMS_RETURN_IF_ERROR(
        Exec(s, "UPDATE fact_orders SET status = ? WHERE order_id = ?", {to, p.order_id()}));
    return Stage(s, p.order_id(), to, at);
  }
  if (e.type() == "OrderCancelled") {
    auto p = Payload<order::v1::OrderCancelled>(e);
    return Exec(s, "UPDATE fact_orders SET cancelled = 1, cancel_reason = ? WHERE order_id = ?",
                {p.reason(), p.order_id()});
  }
  return absl::OkStatus();
}

absl::Status ApplyShipment(Session& s, const events::v1::Event& e, int64_t at) {
  if (e.type() == "ShipmentCreated") {
    auto p = Payload<logistics::v1::ShipmentCreated>(e);
    const logistics::v1::Shipment& sh = p.shipment();
    return Exec(s,
                "INSERT OR IGNORE INTO fact_shipments(shipment_id, order_id, carrier_id,"
                " service_level, created_us, promised_us, delayed, lost, failed)"
                " VALUES(?, ?, ?, ?, ?, ?, 0, 0, 0)",
                {sh.shipment_id(), sh.order_id(), sh.carrier_id(),
                 logistics::v1::ServiceLevel_Name(sh.service_level()), ProtoMicros(sh.created_at()),
                 ProtoMicros(sh.promised_delivery())});
  }
  if (e.type() == "ShipmentStatusChanged") {
    auto p = Payload<logistics::v1::ShipmentStatusChanged>(e);
    if (p.to_state() == logistics::v1::PICKED_UP || p.to_state() == logistics::v1::IN_TRANSIT) {
      int64_t when = p.has_cause() ? ProtoMicros(p.cause().occurred_at()) : at;
      OMS_RETURN_IF_ERROR(Exec(s,
                               "UPDATE fact_shipments SET picked_up_us = COALESCE(picked_up_us, ?)"
                               " WHERE shipment_id = ?",
                               {when, p.shipment_id()}));
    }
    if (p.to_state() == logistics::v1::DELIVERY_FAILED) {
      return Exec(s, "UPDATE fact_shipments SET failed = 1 WHERE shipment_id = ?",
                  {p.shipment_id()});
    }
    return absl::OkStatus();
  }
  if (e.type() == "ShipmentDelivered") {
    auto p = Payload<logistics::v1::ShipmentDelivered>(e);
    return Exec(s, "UPDATE fact_shipments SET delivered_us = ? WHERE shipment_id = ?",
                {ProtoMicros(p.shipment().delivery().delivered_at()), p.shipment().shipment_id()});
  }
  if (e.type() == "ShipmentDelayed" || e.type() == "ShipmentLost") {
    auto p = Payload<logistics::v1::ShipmentLost>(e);  // ShipmentDelayed has the same shape
    return Exec(s,
                e.type() == "ShipmentLost"
                    ? "UPDATE fact_shipments SET lost = 1 WHERE shipment_id = ?"
                    : "UPDATE fact_shipments SET delayed = 1 WHERE shipment_id = ?",
                {p.shipment().shipment_id()});
  }
  return absl::OkStatus();
}

absl::Status ApplyOrchestrator(Session& s, const events::v1::Event& e) {
  if (e.type() == "ExceptionOpened" || e.type() == "ExceptionResolved" ||
      e.type() == "ExceptionEscalated" || e.type() == "ExceptionAssigned") {
    auto p = Payload<orchestrator::v1::ExceptionOpened>(e);
    const orchestrator::v1::ExceptionTicket& t = p.ticket();
    OMS_RETURN_IF_ERROR(
        Exec(s,
             "INSERT OR IGNORE INTO fact_exceptions(ticket_id, order_id, type, grp, opened_us,"
             " escalated, resolution) VALUES(?, ?, ?, ?, ?, 0, '')",
             {t.ticket_id(), t.order_id(), orchestrator::v1::ExceptionType_Name(t.type()),
              t.group(), ProtoMicros(t.created_at())}));
    if (t.escalation_level() > 0) {
      OMS_RETURN_IF_ERROR(
          Exec(s, "UPDATE fact_exceptions SET escalated = 1 WHERE ticket_id = ?", {t.ticket_id()}));
    }
    if (t.status() != orchestrator::v1::ExceptionTicket::OPEN) {
      return Exec(s,
                  "UPDATE fact_exceptions SET resolved_us = COALESCE(resolved_us, ?),"
                  " resolution = ? WHERE ticket_id = ?",
                  {ProtoMicros(t.updated_at()), orchestrator::v1::Resolution_Name(t.resolution()),
                   t.ticket_id()});
    }
    return absl::OkStatus();
  }
  if (e.type() == "ReturnReceived") {
    auto p = Payload<orchestrator::v1::ReturnReceived>(e);
    for (const auto& line : p.record().lines()) {
      OMS_RETURN_IF_ERROR(Exec(s,
                               "INSERT OR REPLACE INTO fact_returns(order_id, sku, quantity)"
                               " VALUES(?, ?, ?)",
                               {p.record().order_id(), line.sku(), line.quantity()}));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyInventory(Session& s, const events::v1::Event& e, int64_t at) {
  if (e.type() == "ProductChanged") {
    auto p = Payload<inventory::v1::ProductChanged>(e);
    return Exec(s, "INSERT OR REPLACE INTO fact_products(sku, category) VALUES(?, ?)",
                {p.product().sku(), p.product().category()});
  }
  if (e.type() == "LowStock") {
    auto p = Payload<inventory::v1::LowStock>(e);
    return Exec(s,
                "INSERT OR REPLACE INTO fact_low_stock(sku, available, safety_stock, at_us)"
                " VALUES(?, ?, ?, ?)",
                {p.sku(), p.available(), p.safety_stock(), at});
  }
  if (e.type() == "Backordered") {
    auto p = Payload<inventory::v1::Backordered>(e);
    for (const auto& line : p.lines()) {
      OMS_RETURN_IF_ERROR(Exec(s,
                               "INSERT OR IGNORE INTO fact_backorders(order_id, sku, quantity,"
                               " created_us) VALUES(?, ?, ?, ?)",
                               {p.order_id(), line.sku(), line.quantity(), at}));
    }
    return absl::OkStatus();
  }
  if (e.type() == "BackorderAllocated") {
    auto p = Payload<inventory::v1::BackorderAllocated>(e);
    const auto& allocation = p.allocation();
    // Lines no longer waiting were served now; still-waiting ones keep their remainder.
    OMS_RETURN_IF_ERROR(Exec(s,
                             "UPDATE fact_backorders SET served_us = COALESCE(served_us, ?)"
                             " WHERE order_id = ?",
                             {at, allocation.order_id()}));
    for (const auto& waiting : allocation.still_waiting()) {
      OMS_RETURN_IF_ERROR(Exec(s,
                               "UPDATE fact_backorders SET served_us = NULL, quantity = ?"
                               " WHERE order_id = ? AND sku = ?",
                               {waiting.quantity(), allocation.order_id(), waiting.sku()}));
    }
    return absl::OkStatus();
  }
  if (e.type() == "StockAdjusted") {
    auto p = Payload<inventory::v1::StockAdjusted>(e);
    if (p.adjustment().reason() != inventory::v1::RECEIPT) return absl::OkStatus();
    return Exec(s,
                "INSERT OR IGNORE INTO fact_movements(event_id, sku, kind, quantity, at_us)"
                " VALUES(?, ?, 'received', ?, ?)",
                {e.event_id(), p.adjustment().sku(), p.adjustment().delta(), at});
  }
  if (e.type() == "Committed") {
    auto p = Payload<inventory::v1::Committed>(e);
    std::map<std::string, int64_t> shipped;
    for (const auto& r : p.reservations()) shipped[r.sku()] += r.quantity();
    for (const auto& [sku, quantity] : shipped) {
      OMS_RETURN_IF_ERROR(Exec(s,
                               "INSERT OR IGNORE INTO fact_movements(event_id, sku, kind, quantity,"
                               " at_us) VALUES(?, ?, 'shipped', ?, ?)",
                               {e.event_id(), sku, quantity, at}));
    }
  }
  return absl::OkStatus();
}

// The latest outcome of each notification: MessageSent or MessageDead (a dead message that is
// retried and sent later is replaced by its later event).
absl::Status ApplyNotify(Session& s, const events::v1::Event& e) {
  notify::v1::Message m;
  if (e.type() == "MessageSent") {
    m = Payload<notify::v1::MessageSent>(e).message();
  } else if (e.type() == "MessageDead") {
    m = Payload<notify::v1::MessageDead>(e).message();
  } else {
    return absl::OkStatus();
  }
  return Exec(s,
              "INSERT OR REPLACE INTO fact_notifications(message_id, channel, event_type, outcome,"
              " attempts, created_us, at_us) VALUES(?, ?, ?, ?, ?, ?, ?)",
              {m.message_id(), notify::v1::Channel_Name(m.channel()), m.event_type(),
               e.type() == "MessageSent" ? "sent" : "dead", static_cast<int64_t>(m.attempts()),
               ProtoMicros(m.created_at()), ProtoMicros(e.occurred_at())});
}

}  // namespace

const std::vector<std::string>& Migrations() {
  static const auto* migrations = new std::vector<std::string>{
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
  };
  return *migrations;
}

absl::Status Apply(Session& s, const events::v1::Event& event) {
  int64_t at = ProtoMicros(event.occurred_at());
  if (event.source() == "order_svc") return ApplyOrder(s, event, at);
  if (event.source() == "logistics_svc") return ApplyShipment(s, event, at);
  if (event.source() == "orchestrator_svc") return ApplyOrchestrator(s, event);
  if (event.source() == "inventory_svc") return ApplyInventory(s, event, at);
  if (event.source() == "notify_svc") return ApplyNotify(s, event);
  return absl::OkStatus();
}

absl::Status Clear(Session& s) {
  for (const char* table : {"fact_orders", "fact_stage_times", "fact_lines", "fact_returns",
                            "fact_products", "fact_shipments", "fact_exceptions", "fact_low_stock",
                            "fact_backorders", "fact_movements", "fact_notifications",
                            "feed_cursors"}) {
    OMS_RETURN_IF_ERROR(Exec(s, absl::StrCat("DELETE FROM ", table), {}));
  }
  return absl::OkStatus();
}

}  // namespace oms::analytics::facts
