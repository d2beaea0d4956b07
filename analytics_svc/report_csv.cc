// ExportReport: each report as CSV records, computed by the report itself.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analytics_svc/reports.h"
#include "platform/base/csv.h"
#include "platform/base/status.h"

namespace oms::analytics {
namespace {

std::string Num(double v) { return absl::StrFormat("%.3f", v); }

std::vector<std::string> CsvOfOrderStats(const v1::GetOrderStatsResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"period", "channel", "orders", "currency", "revenue_minor", "aov_minor",
                           "refunded_minor", "net_revenue_minor"}));
  for (const auto& b : report.buckets()) {
    for (int i = 0; i < b.revenue_size(); ++i) {
      out.push_back(
          CsvRecord({b.period(), b.channel(), absl::StrCat(b.orders()),
                     b.revenue(i).currency_code(), absl::StrCat(b.revenue(i).minor_units()),
                     absl::StrCat(b.average_order_value(i).minor_units()),
                     absl::StrCat(b.refunded(i).minor_units()),
                     absl::StrCat(b.net_revenue(i).minor_units())}));
    }
  }
  return out;
}

std::vector<std::string> CsvOfStageDurations(const v1::GetStageDurationsResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"stage", "orders", "p50_s", "p90_s", "p99_s", "max_s"}));
  for (const auto& st : report.stages()) {
    out.push_back(CsvRecord({st.stage(), absl::StrCat(st.orders()), Num(st.p50_seconds()),
                             Num(st.p90_seconds()), Num(st.p99_seconds()), Num(st.max_seconds())}));
  }
  return out;
}

std::vector<std::string> CsvOfExceptionStats(const v1::GetExceptionStatsResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"type", "count", "rate", "mean_resolve_s", "p90_resolve_s", "overdue"}));
  for (const auto& t : report.types()) {
    out.push_back(
        CsvRecord({t.type(), absl::StrCat(t.count()), Num(t.rate()), Num(t.mean_resolve_seconds()),
                   Num(t.p90_resolve_seconds()), absl::StrCat(t.overdue())}));
  }
  return out;
}

std::vector<std::string> CsvOfSales(const v1::GetSalesReportResponse& report) {
  std::vector<std::string> out;
  out.push_back(
      CsvRecord({"sku", "category", "quantity", "returned", "currency", "revenue_minor"}));
  for (const auto& sale : report.skus()) {
    out.push_back(CsvRecord({sale.sku(), sale.category(), absl::StrCat(sale.quantity()),
                             absl::StrCat(sale.returned()), sale.revenue().currency_code(),
                             absl::StrCat(sale.revenue().minor_units())}));
  }
  return out;
}

std::vector<std::string> CsvOfCarrierPerformance(const v1::GetCarrierPerformanceResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"carrier", "service_level", "shipments", "delivered", "on_time_rate",
                           "avg_transit_h", "delayed_rate", "lost_rate", "failed_rate"}));
  for (const auto& c : report.carriers()) {
    out.push_back(CsvRecord({c.carrier_id(), c.service_level(), absl::StrCat(c.shipments()),
                             absl::StrCat(c.delivered()), Num(c.on_time_rate()),
                             Num(c.average_transit_hours()), Num(c.delayed_rate()),
                             Num(c.lost_rate()), Num(c.failed_rate())}));
  }
  return out;
}

std::vector<std::string> CsvOfInventoryHealth(const v1::GetInventoryHealthResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"sku", "low_stock", "backordered", "oldest_backorder_h", "shipped",
                           "received", "sell_through"}));
  for (const auto& h : report.skus()) {
    out.push_back(CsvRecord({h.sku(), h.low_stock() ? "yes" : "no", absl::StrCat(h.backordered()),
                             Num(h.oldest_backorder_hours()), absl::StrCat(h.shipped()),
                             absl::StrCat(h.received()), Num(h.sell_through())}));
  }
  return out;
}

std::vector<std::string> CsvOfStockTurnover(const v1::GetInventoryHealthResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"sku", "warehouse_id", "on_hand", "average_on_hand", "shipped",
                           "turnover", "days_of_cover"}));
  for (const auto& t : report.turnover()) {
    out.push_back(CsvRecord({t.sku(), t.warehouse_id(), absl::StrCat(t.on_hand()),
                             Num(t.average_on_hand()), absl::StrCat(t.shipped()), Num(t.turnover()),
                             t.no_shipments() ? "" : Num(t.days_of_cover())}));
  }
  return out;
}

std::vector<std::string> CsvOfPromiseAccuracy(const v1::GetPromiseAccuracyResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"by", "key", "delivered", "on_time", "on_time_rate", "avg_hours_late"}));
  auto row = [&](const std::string& by, const v1::PromiseAccuracy& a) {
    out.push_back(CsvRecord({by, a.key(), absl::StrCat(a.delivered()), absl::StrCat(a.on_time()),
                             Num(a.on_time_rate()), Num(a.average_hours_late())}));
  };
  v1::PromiseAccuracy all;
  all.set_delivered(report.delivered());
  all.set_on_time(report.on_time());
  all.set_on_time_rate(report.on_time_rate());
  all.set_average_hours_late(report.average_hours_late());
  row("all", all);
  for (const auto& a : report.by_channel()) row("channel", a);
  for (const auto& a : report.by_carrier()) row("carrier", a);
  return out;
}

// CSAT rows (overall, per channel, carrier, ticket type, resolution), then compensation cost
// rows per exception type, kind and currency, under one header.
std::vector<std::string> CsvOfSatisfaction(const v1::GetSatisfactionResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"by", "key", "responses", "average_rating", "csat", "kind", "count",
                           "currency", "total_minor"}));
  auto csat = [&](const std::string& by, const v1::Csat& c) {
    out.push_back(CsvRecord({by, c.key(), absl::StrCat(c.responses()), Num(c.average_rating()),
                             Num(c.csat()), "", "", "", ""}));
  };
  csat("all", report.overall());
  for (const auto& c : report.by_channel()) csat("channel", c);
  for (const auto& c : report.by_carrier()) csat("carrier", c);
  for (const auto& c : report.by_ticket_type()) csat("ticket_type", c);
  for (const auto& c : report.by_resolution()) csat("resolution", c);
  for (const auto& c : report.compensation()) {
    out.push_back(CsvRecord({"compensation", c.exception_type(), "", "", "", c.kind(),
                             absl::StrCat(c.count()), c.total().currency_code(),
                             absl::StrCat(c.total().minor_units())}));
  }
  return out;
}

std::vector<std::string> CsvOfCustomerSegments(const v1::GetCustomerSegmentsResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"segment", "rule", "customers"}));
  for (const auto& seg : report.segments()) {
    out.push_back(CsvRecord({seg.name(), seg.rule(), absl::StrCat(seg.customers())}));
  }
  return out;
}

std::vector<std::string> CsvOfNotifications(const v1::GetNotificationStatsResponse& report) {
  std::vector<std::string> out;
  out.push_back(CsvRecord({"channel", "sent", "dead", "delivery_rate", "avg_attempts"}));
  for (const auto& c : report.channels()) {
    out.push_back(CsvRecord({c.channel(), absl::StrCat(c.sent()), absl::StrCat(c.dead()),
                             Num(c.delivery_rate()), Num(c.average_attempts())}));
  }
  return out;
}
}  // namespace

namespace {

// `report` over the export's range, rendered by `to_csv`.
template <typename Request, typename Response>
absl::StatusOr<std::vector<std::string>> Export(
    Reports& reports, absl::StatusOr<Response> (Reports::*report)(const Request&),
    const v1::TimeRange& range, std::vector<std::string> (*to_csv)(const Response&)) {
  Request request;
  *request.mutable_range() = range;
  OMS_ASSIGN_OR_RETURN(Response answer, (reports.*report)(request));
  return to_csv(answer);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> Reports::Csv(const v1::ExportReportRequest& request) {
  if (!request.format().empty() && request.format() != "CSV") {
    return absl::InvalidArgumentError("format: only CSV is supported");
  }
  const v1::TimeRange& range = request.range();
  switch (request.report()) {
    case v1::ExportReportRequest::ORDER_STATS:
      return Export(*this, &Reports::OrderStats, range, &CsvOfOrderStats);
    case v1::ExportReportRequest::STAGE_DURATIONS:
      return Export(*this, &Reports::StageDurations, range, &CsvOfStageDurations);
    case v1::ExportReportRequest::EXCEPTION_STATS:
      return Export(*this, &Reports::ExceptionStats, range, &CsvOfExceptionStats);
    case v1::ExportReportRequest::SALES:
      return Export(*this, &Reports::Sales, range, &CsvOfSales);
    case v1::ExportReportRequest::CARRIER_PERFORMANCE:
      return Export(*this, &Reports::CarrierPerformance, range, &CsvOfCarrierPerformance);
    case v1::ExportReportRequest::INVENTORY_HEALTH:
      return Export(*this, &Reports::InventoryHealth, range, &CsvOfInventoryHealth);
    case v1::ExportReportRequest::PROMISE_ACCURACY:
      return Export(*this, &Reports::PromiseAccuracy, range, &CsvOfPromiseAccuracy);
    case v1::ExportReportRequest::STOCK_TURNOVER:
      return Export(*this, &Reports::InventoryHealth, range, &CsvOfStockTurnover);
    case v1::ExportReportRequest::SATISFACTION:
      return Export(*this, &Reports::Satisfaction, range, &CsvOfSatisfaction);
    case v1::ExportReportRequest::NOTIFICATIONS:
      return Export(*this, &Reports::NotificationStats, range, &CsvOfNotifications);
    case v1::ExportReportRequest::CUSTOMER_SEGMENTS: {
      OMS_ASSIGN_OR_RETURN(v1::GetCustomerSegmentsResponse report,
                           CustomerSegments(v1::GetCustomerSegmentsRequest()));
      return CsvOfCustomerSegments(report);
    }
    default:
      return absl::InvalidArgumentError("report: is required");
  }
}

}  // namespace oms::analytics
