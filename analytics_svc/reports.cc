#include "analytics_svc/reports.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_format.h"
#include "analytics_svc/anomaly_store.h"
#include "analytics_svc/reports_store.h"
#include "analytics_svc/stock_turnover.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

using reports_store::TimeSpan;

std::string Period(int64_t us, v1::Granularity g) {
  absl::Time t = absl::FromUnixMicros(us);
  absl::TimeZone utc = absl::UTCTimeZone();
  if (g == v1::MONTH) return absl::FormatTime("%Y-%m", t, utc);
  if (g == v1::WEEK) return absl::FormatTime("%G-W%V", t, utc);
  return absl::FormatTime("%Y-%m-%d", t, utc);
}

common::v1::Money MoneyOf(const std::string& currency, int64_t minor) {
  common::v1::Money m;
  m.set_currency_code(currency);
  m.set_minor_units(minor);
  return m;
}

double Seconds(int64_t us) { return static_cast<double>(us) / 1e6; }

}  // namespace

reports_store::TimeSpan SpanOf(const v1::TimeRange& range, absl::Time now) {
  return {range.has_from() ? ProtoMicros(range.from()) : 0,
          range.has_to() ? ProtoMicros(range.to()) : absl::ToUnixMicros(now) + 1};
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

absl::StatusOr<v1::GetOrderStatsResponse> Reports::OrderStats(
    const v1::GetOrderStatsRequest& request) {
  TimeSpan span = SpanOf(request.range(), host_->clock().Now());
  v1::Granularity g =
      request.granularity() == v1::GRANULARITY_UNSPECIFIED ? v1::DAY : request.granularity();
  std::vector<reports_store::OrderRow> orders;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(orders, reports_store::OrdersCreated(s, span));
    return absl::OkStatus();
  }));
  struct Acc {
    int64_t orders = 0;
    std::map<std::string, std::pair<int64_t, int64_t>> revenue;  // currency -> (sum, count)
    std::map<std::string, int64_t> refunded;                     // currency -> sum
  };
  std::map<std::pair<std::string, std::string>, Acc> buckets;  // (period, channel)
  std::map<std::string, int64_t> reasons;
  v1::GetOrderStatsResponse response;
  for (const reports_store::OrderRow& o : orders) {
    response.set_orders(response.orders() + 1);
    if (o.cancelled) {
      response.set_cancelled(response.cancelled() + 1);
      ++reasons[o.cancel_reason];
    }
    if (o.rejected) response.set_rejected(response.rejected() + 1);
    // Orders that never ship are no sale; a refund of one that shipped is netted apart.
    bool sold = !o.cancelled && !o.rejected;
    for (const std::string& channel : {std::string(""), o.channel}) {  // "": all channels
      Acc& acc = buckets[{Period(o.created_us, g), channel}];
      ++acc.orders;
      if (sold) {
        auto& [sum, count] = acc.revenue[o.currency];
        sum += o.total_minor;
        ++count;
        acc.refunded[o.currency] += o.refunded_minor;
      }
    }
  }
  for (const auto& [key, acc] : buckets) {
    v1::OrderBucket* b = response.add_buckets();
    b->set_period(key.first);
    b->set_channel(key.second);
    b->set_orders(acc.orders);
    for (const auto& [currency, sum_count] : acc.revenue) {
      *b->add_revenue() = MoneyOf(currency, sum_count.first);
      // Integer division rounds the average down to a whole minor unit.
      *b->add_average_order_value() = MoneyOf(currency, sum_count.first / sum_count.second);
      int64_t refunded = acc.refunded.count(currency) ? acc.refunded.at(currency) : 0;
      *b->add_refunded() = MoneyOf(currency, refunded);
      *b->add_net_revenue() = MoneyOf(currency, sum_count.first - refunded);
    }
  }
  std::vector<std::pair<std::string, int64_t>> sorted(reasons.begin(), reasons.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [reason, count] : sorted) {
    v1::CancellationReason* c = response.add_cancellation_reasons();
    c->set_reason(reason);
    c->set_count(count);
  }
  return response;
}

absl::StatusOr<v1::GetStageDurationsResponse> Reports::StageDurations(
    const v1::GetStageDurationsRequest& request) {
  TimeSpan span = SpanOf(request.range(), host_->clock().Now());
  int slowest = request.slowest() == 0 ? 5 : request.slowest();
  struct StageDef {
    const char* name;
    const char* from;
    const char* to;
  };
  const StageDef stages[] = {{"intake->review", "RECEIVED", "APPROVED"},
                             {"review->allocation", "APPROVED", "ALLOCATED"},
                             {"allocation->shipment", "ALLOCATED", "SHIPPED"},
                             {"shipment->delivery", "SHIPPED", "DELIVERED"},
                             {"end_to_end", "RECEIVED", "COMPLETED"}};
  v1::GetStageDurationsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    for (const StageDef& stage : stages) {
      OMS_ASSIGN_OR_RETURN(std::vector<reports_store::Elapsed> elapsed,
                           reports_store::TimesBetween(s, stage.from, stage.to, span));
      std::vector<std::pair<double, std::string>> durations;
      for (const auto& e : elapsed) durations.emplace_back(Seconds(e.us), e.order_id);
      std::sort(durations.begin(), durations.end());
      std::vector<double> values;
      for (const auto& d : durations) values.push_back(d.first);
      v1::StageDuration* out = response.add_stages();
      out->set_stage(stage.name);
      out->set_orders(static_cast<int64_t>(values.size()));
      out->set_p50_seconds(Percentile(values, 50));
      out->set_p90_seconds(Percentile(values, 90));
      out->set_p99_seconds(Percentile(values, 99));
      out->set_max_seconds(values.empty() ? 0 : values.back());
      for (int i = 0; i < slowest && i < static_cast<int>(durations.size()); ++i) {
        out->add_slowest_orders(durations[durations.size() - 1 - i].second);
      }
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetExceptionStatsResponse> Reports::ExceptionStats(
    const v1::GetExceptionStatsRequest& request) {
  TimeSpan span = SpanOf(request.range(), host_->clock().Now());
  std::vector<reports_store::TicketRow> tickets;
  v1::GetExceptionStatsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(int64_t orders, reports_store::CountOrdersCreated(s, span));
    response.set_orders(orders);
    OMS_ASSIGN_OR_RETURN(tickets, reports_store::TicketsOpened(s, span));
    return absl::OkStatus();
  }));
  std::map<std::string, v1::ExceptionTypeStats> types;
  std::map<std::string, std::vector<double>> resolve_times;
  for (const reports_store::TicketRow& ticket : tickets) {
    v1::ExceptionTypeStats& t = types[ticket.type];
    t.set_type(ticket.type);
    t.set_count(t.count() + 1);
    if (ticket.resolved_us.has_value()) {
      resolve_times[ticket.type].push_back(Seconds(*ticket.resolved_us - ticket.opened_us));
      (*t.mutable_resolutions())[ticket.resolution]++;
    }
    if (ticket.escalated) t.set_overdue(t.overdue() + 1);
    (*t.mutable_by_group())[ticket.group.empty() ? "(none)" : ticket.group]++;
  }
  for (auto& [type, t] : types) {
    std::vector<double>& times = resolve_times[type];
    std::sort(times.begin(), times.end());
    double sum = 0;
    for (double v : times) sum += v;
    t.set_mean_resolve_seconds(times.empty() ? 0 : sum / times.size());
    t.set_p90_resolve_seconds(Percentile(times, 90));
    t.set_rate(response.orders() == 0 ? 0 : static_cast<double>(t.count()) / response.orders());
    *response.add_types() = t;
  }
  return response;
}

absl::StatusOr<v1::GetSalesReportResponse> Reports::Sales(
    const v1::GetSalesReportRequest& request) {
  TimeSpan span = SpanOf(request.range(), host_->clock().Now());
  std::vector<reports_store::SkuSalesRow> rows;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(rows, reports_store::SalesBySku(s, span));
    return absl::OkStatus();
  }));
  std::vector<v1::SkuSales> skus;
  for (const reports_store::SkuSalesRow& row : rows) {
    v1::SkuSales& sale = skus.emplace_back();
    sale.set_sku(row.sku);
    sale.set_category(row.category);
    sale.set_returned(row.returned);
    sale.set_quantity(row.quantity - row.returned);
    *sale.mutable_revenue() = MoneyOf(row.currency, row.revenue_minor - row.returned_minor);
  }
  std::stable_sort(skus.begin(), skus.end(), [](const auto& a, const auto& b) {
    return a.revenue().minor_units() > b.revenue().minor_units();
  });
  v1::GetSalesReportResponse response;
  std::map<std::pair<std::string, std::string>, v1::CategorySales> categories;
  for (const v1::SkuSales& sale : skus) {
    v1::CategorySales& c = categories[{sale.category(), sale.revenue().currency_code()}];
    c.set_category(sale.category());
    c.set_quantity(c.quantity() + sale.quantity());
    *c.mutable_revenue() = MoneyOf(sale.revenue().currency_code(),
                                   c.revenue().minor_units() + sale.revenue().minor_units());
  }
  for (size_t i = 0; i < skus.size() && (request.top() <= 0 || static_cast<int>(i) < request.top());
       ++i) {
    *response.add_skus() = skus[i];
  }
  for (auto& [key, c] : categories) *response.add_categories() = c;
  return response;
}

absl::StatusOr<v1::GetCarrierPerformanceResponse> Reports::CarrierPerformance(
    const v1::GetCarrierPerformanceRequest& request) {
  TimeSpan span = SpanOf(request.range(), host_->clock().Now());
  std::vector<reports_store::CarrierRow> rows;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(rows, reports_store::CarrierTotals(s, span));
    return absl::OkStatus();
  }));
  v1::GetCarrierPerformanceResponse response;
  for (const reports_store::CarrierRow& row : rows) {
    v1::CarrierPerformance* c = response.add_carriers();
    double n = static_cast<double>(row.shipments);
    c->set_carrier_id(row.carrier_id);
    c->set_service_level(row.service_level);
    c->set_shipments(row.shipments);
    c->set_delivered(row.delivered);
    c->set_on_time_rate(row.delivered == 0 ? 0 : static_cast<double>(row.on_time) / row.delivered);
    c->set_average_transit_hours(
        row.delivered == 0 ? 0 : Seconds(row.transit_us) / 3600.0 / row.delivered);
    c->set_delayed_rate(row.delayed / n);
    c->set_lost_rate(row.lost / n);
    c->set_failed_rate(row.failed / n);
  }
  return response;
}

absl::StatusOr<v1::GetInventoryHealthResponse> Reports::InventoryHealth(
    const v1::GetInventoryHealthRequest& request) {
  absl::Time now = host_->clock().Now();
  TimeSpan span = SpanOf(request.range(), now);
  std::map<std::string, int64_t> last_receipt;
  std::vector<reports_store::LowStockRow> alerts;
  std::vector<reports_store::WaitingRow> waiting;
  std::vector<reports_store::MovementRow> movements;
  std::vector<reports_store::StockChangeRow> changes;
  const int64_t until_us = std::min(span.to_us, absl::ToUnixMicros(now) + 1);
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(changes, reports_store::StockChangesBefore(s, until_us));
    OMS_ASSIGN_OR_RETURN(last_receipt, reports_store::LastReceipts(s));
    OMS_ASSIGN_OR_RETURN(alerts, reports_store::LowStockAlerts(s));
    OMS_ASSIGN_OR_RETURN(waiting, reports_store::WaitingBackorders(s));
    OMS_ASSIGN_OR_RETURN(movements, reports_store::Movements(s, span));
    return absl::OkStatus();
  }));
  std::map<std::string, v1::SkuHealth> skus;
  auto health = [&](const std::string& sku) -> v1::SkuHealth& {
    v1::SkuHealth& h = skus[sku];
    h.set_sku(sku);
    return h;
  };
  for (const auto& alert : alerts) {
    v1::SkuHealth& h = health(alert.sku);
    h.set_low_stock(alert.at_us >= last_receipt[alert.sku]);  // no receipt since the alert
    h.set_available_at_alert(alert.available);
    h.set_safety_stock(alert.safety_stock);
  }
  v1::GetInventoryHealthResponse response;
  const int64_t now_us = absl::ToUnixMicros(now);
  double age_sum = 0;
  int64_t waiting_lines = 0;
  for (const auto& w : waiting) {
    v1::SkuHealth& h = health(w.sku);
    h.set_backordered(w.units);
    h.set_oldest_backorder_hours(Seconds(now_us - w.oldest_us) / 3600);
    response.set_backordered_units(response.backordered_units() + w.units);
    waiting_lines += w.lines;
    age_sum += Seconds(now_us * w.lines - w.created_sum_us) / 3600;
  }
  for (const auto& m : movements) {
    v1::SkuHealth& h = health(m.sku);
    if (m.kind == "shipped") h.set_shipped(m.quantity);
    if (m.kind == "received") h.set_received(m.quantity);
  }
  std::vector<v1::SkuHealth> sorted;
  for (auto& [sku, h] : skus) {
    h.set_sell_through(h.received() == 0 ? 0 : static_cast<double>(h.shipped()) / h.received());
    sorted.push_back(h);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    if (a.low_stock() != b.low_stock()) return a.low_stock();
    return a.backordered() > b.backordered();
  });
  for (auto& h : sorted) *response.add_skus() = std::move(h);
  response.set_average_backorder_age_hours(waiting_lines == 0 ? 0 : age_sum / waiting_lines);
  for (v1::StockTurnover& t : StockTurnovers(changes, span.from_us, until_us)) {
    *response.add_turnover() = std::move(t);
  }
  return response;
}

absl::StatusOr<v1::GetNotificationStatsResponse> Reports::NotificationStats(
    const v1::GetNotificationStatsRequest& request) {
  TimeSpan span = SpanOf(request.range(), host_->clock().Now());
  std::vector<reports_store::ChannelOutcomes> rows;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(rows, reports_store::NotificationOutcomes(s, span));
    return absl::OkStatus();
  }));
  v1::GetNotificationStatsResponse response;
  for (const reports_store::ChannelOutcomes& row : rows) {
    v1::ChannelNotifications* c = response.add_channels();
    c->set_channel(row.channel);
    c->set_sent(row.sent);
    c->set_dead(row.dead);
    c->set_delivery_rate(static_cast<double>(c->sent()) / (c->sent() + c->dead()));
    c->set_average_attempts(c->sent() == 0 ? 0
                                           : static_cast<double>(row.sent_attempts) / c->sent());
    response.set_sent(response.sent() + c->sent());
    response.set_dead(response.dead() + c->dead());
  }
  return response;
}

absl::StatusOr<v1::GetCustomerSegmentsResponse> Reports::CustomerSegments(
    const v1::GetCustomerSegmentsRequest& request) {
  const absl::Time now = host_->clock().Now();
  const int max_members = request.max_members() == 0 ? 20 : request.max_members();
  struct Def {
    const char* name;
    const char* rule;
  };
  // Recency in days since the last order, frequency in orders (cancelled ones excluded).
  const Def defs[] = {
      {"champions", "ordered within 30 days, 3 or more orders"},
      {"loyal", "ordered within 90 days, 3 or more orders"},
      {"new", "first and only order within 30 days"},
      {"promising", "ordered within 90 days, 1 or 2 orders"},
      {"at_risk", "last order 90 to 180 days ago"},
      {"dormant", "no order for more than 180 days"},
  };
  std::map<std::string, v1::Segment> segments;
  for (const Def& d : defs) {
    v1::Segment& s = segments[d.name];
    s.set_name(d.name);
    s.set_rule(d.rule);
  }
  std::vector<reports_store::CustomerRow> customers;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(customers, reports_store::CustomersByValue(s));
    return absl::OkStatus();
  }));
  for (const reports_store::CustomerRow& c : customers) {
    double days = Seconds(absl::ToUnixMicros(now) - c.last_order_us) / 86400;
    const char* name = days > 180                    ? "dormant"
                       : days > 90                   ? "at_risk"
                       : c.orders >= 3               ? (days <= 30 ? "champions" : "loyal")
                       : c.orders == 1 && days <= 30 ? "new"
                                                     : "promising";
    v1::Segment& segment = segments[name];
    segment.set_customers(segment.customers() + 1);
    if (segment.members_size() < max_members) segment.add_members(c.customer);
  }
  v1::GetCustomerSegmentsResponse response;
  for (const Def& d : defs) *response.add_segments() = segments[d.name];
  return response;
}

absl::StatusOr<int64_t> Reports::OpenAnomalies() {
  int64_t open = 0;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(open, anomaly_store::CountOpen(s));
    return absl::OkStatus();
  }));
  return open;
}

}  // namespace oms::analytics
