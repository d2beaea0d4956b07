#include "analytics_svc/anomaly_samples.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"

namespace oms::analytics::samples {
namespace {

constexpr double kMicrosPerHour = 3600.0 * 1e6;

// Rows of (subject, count) added into `field` of each subject's outcomes.
absl::Status AddCounts(Session& s, absl::string_view sql, absl::Span<const SqlArg> args,
                       int64_t Outcomes::*field, OutcomesBySubject& out) {
  return s.ForEachRow(sql, args, [&](const Rows& row) -> absl::Status {
    out[row.Text(0)].*field += row.Int(1);
    return absl::OkStatus();
  });
}

// Rows of (subject, microseconds) as hours.
absl::StatusOr<ValuesBySubject> Hours(Session& s, absl::string_view sql, TimeSpan span) {
  ValuesBySubject out;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow(sql, {span.from_us, span.to_us}, [&](const Rows& row) -> absl::Status {
        out[row.Text(0)].push_back(static_cast<double>(row.Int(1)) / kMicrosPerHour);
        return absl::OkStatus();
      }));
  return out;
}

// Tickets the suite opens about itself do not count as the process going wrong.
constexpr char kOwnTickets[] = "('PROCESS_ANOMALY', 'FEEDBACK_FOLLOWUP')";

}  // namespace

absl::StatusOr<OutcomesBySubject> CarrierDelays(Session& s, TimeSpan span) {
  OutcomesBySubject out;
  OMS_RETURN_IF_ERROR(AddCounts(s,
                                "SELECT carrier_id, COUNT(*) FROM fact_shipments"
                                " WHERE delayed_us >= ? AND delayed_us < ? GROUP BY carrier_id",
                                {span.from_us, span.to_us}, &Outcomes::events, out));
  OMS_RETURN_IF_ERROR(AddCounts(s,
                                "SELECT carrier_id, COUNT(*) FROM fact_shipments"
                                " WHERE (delayed_us >= ? AND delayed_us < ?) OR (delayed = 0"
                                " AND delivered_us >= ? AND delivered_us < ?) GROUP BY carrier_id",
                                {span.from_us, span.to_us, span.from_us, span.to_us},
                                &Outcomes::trials, out));
  return out;
}

absl::StatusOr<OutcomesBySubject> ChannelExceptions(Session& s, TimeSpan span) {
  OutcomesBySubject out;
  OMS_RETURN_IF_ERROR(AddCounts(
      s,
      absl::StrCat("SELECT o.channel, COUNT(*) FROM fact_exceptions t JOIN fact_orders o"
                   " ON o.order_id = t.order_id WHERE t.opened_us >= ? AND t.opened_us < ?"
                   " AND t.type NOT IN ",
                   kOwnTickets, " GROUP BY o.channel"),
      {span.from_us, span.to_us}, &Outcomes::events, out));
  OMS_RETURN_IF_ERROR(AddCounts(s,
                                "SELECT channel, COUNT(*) FROM fact_orders"
                                " WHERE created_us >= ? AND created_us < ? GROUP BY channel",
                                {span.from_us, span.to_us}, &Outcomes::trials, out));
  return out;
}

// Exception tickets joined to the parcels of their orders, per `column` of the parcel
// (carrier_id, warehouse_id); trials: parcels created in the span.
absl::StatusOr<OutcomesBySubject> ParcelExceptions(Session& s, TimeSpan span,
                                                   const std::string& column) {
  OutcomesBySubject out;
  OMS_RETURN_IF_ERROR(AddCounts(
      s,
      absl::StrCat("SELECT p.", column, ", COUNT(DISTINCT t.ticket_id) FROM fact_exceptions t",
                   " JOIN fact_shipments p ON p.order_id = t.order_id",
                   " WHERE t.opened_us >= ? AND t.opened_us < ? AND p.", column,
                   " <> '' AND t.type NOT IN ", kOwnTickets, " GROUP BY p.", column),
      {span.from_us, span.to_us}, &Outcomes::events, out));
  OMS_RETURN_IF_ERROR(AddCounts(
      s,
      absl::StrCat("SELECT ", column, ", COUNT(*) FROM fact_shipments WHERE created_us >= ?",
                   " AND created_us < ? AND ", column, " <> '' GROUP BY ", column),
      {span.from_us, span.to_us}, &Outcomes::trials, out));
  return out;
}

absl::StatusOr<OutcomesBySubject> CarrierExceptions(Session& s, TimeSpan span) {
  return ParcelExceptions(s, span, "carrier_id");
}

absl::StatusOr<OutcomesBySubject> WarehouseExceptions(Session& s, TimeSpan span) {
  return ParcelExceptions(s, span, "warehouse_id");
}

absl::StatusOr<ValuesBySubject> HandlingHours(Session& s, TimeSpan span) {
  return Hours(s,
               "SELECT warehouse_id, picked_up_us - created_us FROM fact_shipments"
               " WHERE picked_up_us >= ? AND picked_up_us < ? AND warehouse_id <> ''",
               span);
}

absl::StatusOr<ValuesBySubject> TransitHours(Session& s, TimeSpan span) {
  return Hours(s,
               "SELECT carrier_id, delivered_us - picked_up_us FROM fact_shipments"
               " WHERE delivered_us >= ? AND delivered_us < ? AND picked_up_us IS NOT NULL",
               span);
}

absl::StatusOr<ValuesBySubject> FulfilmentHours(Session& s, TimeSpan span) {
  return Hours(s,
               "SELECT o.channel, shipped.at_us - received.at_us FROM fact_orders o"
               " JOIN fact_stage_times shipped ON shipped.order_id = o.order_id"
               "  AND shipped.stage = 'SHIPPED'"
               " JOIN fact_stage_times received ON received.order_id = o.order_id"
               "  AND received.stage = 'RECEIVED'"
               " WHERE shipped.at_us >= ? AND shipped.at_us < ?",
               span);
}

absl::StatusOr<HourlyCounts> HourlyOrders(Session& s, TimeSpan span, bool by_sku) {
  constexpr int64_t kHour = 3600LL * 1000000;
  HourlyCounts out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      by_sku
          ? "SELECT l.sku, o.created_us FROM fact_lines l JOIN fact_orders o"
            " ON o.order_id = l.order_id WHERE o.created_us >= ? AND o.created_us < ?"
          : "SELECT channel, created_us FROM fact_orders WHERE created_us >= ? AND created_us < ?",
      {span.from_us, span.to_us}, [&](const Rows& row) -> absl::Status {
        int64_t at = row.Int(1);
        ++out[row.Text(0)][at - ((at % kHour) + kHour) % kHour];
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<ValuesBySubject> LineQuantities(Session& s, TimeSpan span) {
  ValuesBySubject out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT l.sku, l.quantity FROM fact_lines l JOIN fact_orders o ON o.order_id = l.order_id"
      " WHERE o.created_us >= ? AND o.created_us < ?",
      {span.from_us, span.to_us}, [&](const Rows& row) -> absl::Status {
        out[row.Text(0)].push_back(static_cast<double>(row.Int(1)));
        return absl::OkStatus();
      }));
  return out;
}

absl::StatusOr<std::vector<CustomerOrder>> CustomerOrders(Session& s, const std::string& customer,
                                                          const std::string& currency,
                                                          const std::string& order_id,
                                                          int64_t before_us, int limit) {
  std::vector<CustomerOrder> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT o.total_minor, (SELECT COALESCE(SUM(l.quantity), 0) FROM fact_lines l"
      "  WHERE l.order_id = o.order_id) FROM fact_orders o"
      " WHERE o.customer = ? AND o.currency = ? AND o.order_id <> ? AND o.created_us < ?"
      " ORDER BY o.created_us DESC LIMIT ?",
      {crypto::LookupKey(customer), currency, order_id, before_us, limit},
      [&](const Rows& row) -> absl::Status {
        out.push_back({static_cast<double>(row.Int(1)), static_cast<double>(row.Int(0))});
        return absl::OkStatus();
      }));
  return out;
}

}  // namespace oms::analytics::samples
