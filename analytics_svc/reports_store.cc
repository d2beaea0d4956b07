#include "analytics_svc/reports_store.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"

namespace oms::analytics::reports_store {
namespace {

// Runs `sql` and appends one `Row` per result row, made by `read`.
template <typename Row, typename Read>
absl::StatusOr<std::vector<Row>> Collect(Session& s, absl::string_view sql,
                                         absl::Span<const SqlArg> args, Read read) {
  std::vector<Row> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) {
    out.push_back(read(r));
    return absl::OkStatus();
  }));
  return out;
}

// The carrier of the order's last delivered parcel ('' when none was delivered), for the
// order id in `order_column`.
std::string LastDeliveredCarrier(const char* order_column) {
  return absl::StrCat(
      "COALESCE((SELECT c.carrier_id FROM fact_shipments c WHERE c.order_id = ", order_column,
      " AND c.delivered_us IS NOT NULL ORDER BY c.delivered_us DESC LIMIT 1), '')");
}

}  // namespace

absl::StatusOr<std::vector<OrderRow>> OrdersCreated(Session& s, TimeSpan span) {
  return Collect<OrderRow>(
      s,
      "SELECT created_us, channel, currency, total_minor, cancelled, cancel_reason,"
      " status = 'REJECTED', refunded_minor FROM fact_orders"
      " WHERE created_us >= ? AND created_us < ?",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return OrderRow{r.Int(0),      r.Text(1), r.Text(2),     r.Int(3),
                        r.Int(4) != 0, r.Text(5), r.Int(6) != 0, r.Int(7)};
      });
}

absl::StatusOr<int64_t> CountOrdersCreated(Session& s, TimeSpan span) {
  int64_t count = 0;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT COUNT(*) FROM fact_orders WHERE created_us >= ? AND created_us < ?",
                   {span.from_us, span.to_us}, [&](const Rows& r) {
                     count = r.Int(0);
                     return absl::OkStatus();
                   }));
  return count;
}

absl::StatusOr<std::vector<Elapsed>> TimesBetween(Session& s, const std::string& from_status,
                                                  const std::string& to_status, TimeSpan span) {
  return Collect<Elapsed>(s,
                          "SELECT a.order_id, b.at_us - a.at_us FROM fact_stage_times a"
                          " JOIN fact_stage_times b ON b.order_id = a.order_id AND b.stage = ?"
                          " JOIN fact_orders o ON o.order_id = a.order_id"
                          " WHERE a.stage = ? AND o.created_us >= ? AND o.created_us < ?",
                          {to_status, from_status, span.from_us, span.to_us}, [](const Rows& r) {
                            return Elapsed{r.Text(0), r.Int(1)};
                          });
}

absl::StatusOr<std::vector<TicketRow>> TicketsOpened(Session& s, TimeSpan span) {
  return Collect<TicketRow>(
      s,
      "SELECT type, grp, opened_us, resolved_us, resolution, escalated FROM fact_exceptions"
      " WHERE opened_us >= ? AND opened_us < ?",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return TicketRow{r.Text(0), r.Text(1),
                         r.Int(2),  r.IsNull(3) ? std::nullopt : std::optional<int64_t>(r.Int(3)),
                         r.Text(4), r.Int(5) != 0};
      });
}

absl::StatusOr<std::vector<SkuSalesRow>> SalesBySku(Session& s, TimeSpan span) {
  return Collect<SkuSalesRow>(
      s,
      "SELECT l.sku, MAX(COALESCE(p.category, '')), l.currency,"
      "       SUM(l.quantity), SUM(l.quantity * l.unit_minor),"
      "       SUM(COALESCE(r.quantity, 0)), SUM(COALESCE(r.quantity, 0) * l.unit_minor)"
      " FROM fact_lines l JOIN fact_orders o ON o.order_id = l.order_id"
      " LEFT JOIN fact_returns r ON r.order_id = l.order_id AND r.sku = l.sku"
      " LEFT JOIN fact_products p ON p.sku = l.sku"
      " WHERE o.cancelled = 0 AND o.status != 'REJECTED'"
      "   AND o.created_us >= ? AND o.created_us < ?"
      " GROUP BY l.sku, l.currency",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return SkuSalesRow{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6)};
      });
}

absl::StatusOr<std::vector<CarrierRow>> CarrierTotals(Session& s, TimeSpan span) {
  return Collect<CarrierRow>(
      s,
      "SELECT carrier_id, service_level, COUNT(*),"
      "       SUM(CASE WHEN delivered_us IS NOT NULL THEN 1 ELSE 0 END),"
      "       SUM(CASE WHEN delivered_us <= promised_us THEN 1 ELSE 0 END),"
      "       SUM(CASE WHEN delivered_us IS NOT NULL THEN"
      "           delivered_us - COALESCE(picked_up_us, created_us) ELSE 0 END),"
      "       SUM(delayed), SUM(lost), SUM(failed)"
      " FROM fact_shipments WHERE created_us >= ? AND created_us < ?"
      " GROUP BY carrier_id, service_level ORDER BY carrier_id, service_level",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return CarrierRow{r.Text(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4),
                          r.Int(5),  r.Int(6),  r.Int(7), r.Int(8)};
      });
}

absl::StatusOr<std::map<std::string, int64_t>> LastReceipts(Session& s) {
  std::map<std::string, int64_t> last;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT sku, MAX(at_us) FROM fact_movements WHERE kind = 'received' GROUP BY sku", {},
      [&](const Rows& r) {
        last[r.Text(0)] = r.Int(1);
        return absl::OkStatus();
      }));
  return last;
}

absl::StatusOr<std::vector<LowStockRow>> LowStockAlerts(Session& s) {
  return Collect<LowStockRow>(s, "SELECT sku, available, safety_stock, at_us FROM fact_low_stock",
                              {}, [](const Rows& r) {
                                return LowStockRow{r.Text(0), r.Int(1), r.Int(2), r.Int(3)};
                              });
}

absl::StatusOr<std::vector<WaitingRow>> WaitingBackorders(Session& s) {
  return Collect<WaitingRow>(
      s,
      "SELECT sku, SUM(quantity), MIN(created_us), COUNT(*), SUM(created_us) FROM fact_backorders"
      " WHERE served_us IS NULL GROUP BY sku",
      {}, [](const Rows& r) {
        return WaitingRow{r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4)};
      });
}

absl::StatusOr<std::vector<MovementRow>> Movements(Session& s, TimeSpan span) {
  return Collect<MovementRow>(
      s,
      "SELECT sku, kind, SUM(quantity) FROM fact_movements WHERE at_us >= ? AND at_us < ?"
      " GROUP BY sku, kind",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return MovementRow{r.Text(0), r.Text(1), r.Int(2)};
      });
}

absl::StatusOr<std::vector<ChannelOutcomes>> NotificationOutcomes(Session& s, TimeSpan span) {
  return Collect<ChannelOutcomes>(
      s,
      "SELECT channel, SUM(CASE WHEN outcome = 'sent' THEN 1 ELSE 0 END),"
      "       SUM(CASE WHEN outcome = 'dead' THEN 1 ELSE 0 END),"
      "       SUM(CASE WHEN outcome = 'sent' THEN attempts ELSE 0 END)"
      " FROM fact_notifications WHERE created_us >= ? AND created_us < ?"
      " GROUP BY channel ORDER BY channel",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return ChannelOutcomes{r.Text(0), r.Int(1), r.Int(2), r.Int(3)};
      });
}

absl::StatusOr<std::vector<CustomerRow>> CustomersByValue(Session& s) {
  return Collect<CustomerRow>(
      s,
      "SELECT customer, MAX(created_us), COUNT(*) FROM fact_orders WHERE cancelled = 0"
      " AND status != 'REJECTED'"
      " AND customer != '' GROUP BY customer ORDER BY SUM(total_minor) DESC",
      {}, [](const Rows& r) {
        return CustomerRow{r.Text(0), r.Int(1), r.Int(2)};
      });
}

absl::StatusOr<std::vector<StockChangeRow>> StockChangesBefore(Session& s, int64_t to_us) {
  return Collect<StockChangeRow>(
      s,
      "SELECT sku, warehouse_id, delta, shipped, at_us FROM fact_stock_changes WHERE at_us < ?"
      " ORDER BY sku, warehouse_id, at_us",
      {to_us}, [](const Rows& r) {
        return StockChangeRow{r.Text(0), r.Text(1), r.Int(2), r.Int(3) != 0, r.Int(4)};
      });
}

absl::StatusOr<std::vector<PromiseRow>> PromisedOrders(Session& s, TimeSpan span) {
  return Collect<PromiseRow>(
      s,
      absl::StrCat("SELECT o.channel, o.promised_us,"
                   " (SELECT MAX(d.delivered_us) FROM fact_shipments d"
                   "  WHERE d.order_id = o.order_id), ",
                   LastDeliveredCarrier("o.order_id"),
                   " FROM fact_orders o WHERE o.promised_us IS NOT NULL AND o.cancelled = 0"
                   " AND o.status != 'REJECTED' AND o.created_us >= ? AND o.created_us < ?"),
      {span.from_us, span.to_us}, [](const Rows& r) {
        return PromiseRow{r.Text(0), r.Int(1),
                          r.IsNull(2) ? std::nullopt : std::optional<int64_t>(r.Int(2)), r.Text(3)};
      });
}

absl::StatusOr<std::vector<FeedbackRow>> FeedbackGiven(Session& s, TimeSpan span) {
  return Collect<FeedbackRow>(
      s,
      absl::StrCat("SELECT f.rating, COALESCE(o.channel, ''), ", LastDeliveredCarrier("f.order_id"),
                   ", COALESCE(t.type, ''), COALESCE(t.resolution, '')"
                   " FROM fact_feedback f LEFT JOIN fact_orders o ON o.order_id = f.order_id"
                   " LEFT JOIN fact_exceptions t ON t.ticket_id = f.ticket_id"
                   " WHERE f.at_us >= ? AND f.at_us < ?"),
      {span.from_us, span.to_us}, [](const Rows& r) {
        return FeedbackRow{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), r.Text(3), r.Text(4)};
      });
}

absl::StatusOr<std::vector<CompensationRow>> CompensationGiven(Session& s, TimeSpan span) {
  return Collect<CompensationRow>(
      s,
      "SELECT COALESCE(t.type, ''), c.kind, c.currency, COUNT(*), SUM(c.amount_minor)"
      " FROM fact_compensations c LEFT JOIN fact_exceptions t ON t.ticket_id = c.ticket_id"
      " WHERE c.at_us >= ? AND c.at_us < ? GROUP BY COALESCE(t.type, ''), c.kind, c.currency"
      " ORDER BY 1, 2, 3",
      {span.from_us, span.to_us}, [](const Rows& r) {
        return CompensationRow{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)};
      });
}

}  // namespace oms::analytics::reports_store
