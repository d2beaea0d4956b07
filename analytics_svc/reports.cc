#include "analytics_svc/reports.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analytics_svc/csv.h"
#include "platform/proto_rows.h"
#include "platform/status.h"

namespace oms::analytics {
namespace {

struct Range {
  int64_t from_us;
  int64_t to_us;
};

Range RangeOf(const v1::TimeRange& range, absl::Time now) {
  return {range.has_from() ? ProtoMicros(range.from()) : 0,
          range.has_to() ? ProtoMicros(range.to()) : absl::ToUnixMicros(now) + 1};
}

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

std::string Num(double v) { return absl::StrFormat("%.3f", v); }

}  // namespace

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
  return sorted[std::min(sorted.size(), std::max<size_t>(rank, 1)) - 1];
}

absl::StatusOr<v1::GetOrderStatsResponse> Reports::OrderStats(
    const v1::GetOrderStatsRequest& request) {
  Range range = RangeOf(request.range(), host_->clock().Now());
  v1::Granularity g =
      request.granularity() == v1::GRANULARITY_UNSPECIFIED ? v1::DAY : request.granularity();
  struct Acc {
    int64_t orders = 0;
    std::map<std::string, std::pair<int64_t, int64_t>> revenue;  // currency -> (sum, count)
  };
  std::map<std::pair<std::string, std::string>, Acc> buckets;  // (period, channel)
  std::map<std::string, int64_t> reasons;
  v1::GetOrderStatsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) {
    return s.ForEachRow(
        "SELECT created_us, channel, currency, total_minor, cancelled, cancel_reason FROM "
        "fact_orders"
        " WHERE created_us >= ? AND created_us < ?",
        {range.from_us, range.to_us}, [&](const Rows& r) {
          std::string period = Period(r.Int(0), g);
          bool cancelled = r.Int(4) != 0;
          response.set_orders(response.orders() + 1);
          if (cancelled) {
            response.set_cancelled(response.cancelled() + 1);
            ++reasons[r.Text(5)];
          }
          for (const std::string& channel : {std::string(""), r.Text(1)}) {
            Acc& acc = buckets[{period, channel}];
            ++acc.orders;
            if (!cancelled) {
              auto& [sum, count] = acc.revenue[r.Text(2)];
              sum += r.Int(3);
              ++count;
            }
          }
          return absl::OkStatus();
        });
  }));
  for (const auto& [key, acc] : buckets) {
    v1::OrderBucket* b = response.add_buckets();
    b->set_period(key.first);
    b->set_channel(key.second);
    b->set_orders(acc.orders);
    for (const auto& [currency, sum_count] : acc.revenue) {
      *b->add_revenue() = MoneyOf(currency, sum_count.first);
      // Integer division rounds the average down to a whole minor unit.
      *b->add_average_order_value() = MoneyOf(currency, sum_count.first / sum_count.second);
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
  Range range = RangeOf(request.range(), host_->clock().Now());
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
      std::vector<std::pair<double, std::string>> durations;
      OMS_RETURN_IF_ERROR(
          s.ForEachRow("SELECT a.order_id, b.at_us - a.at_us FROM fact_stage_times a"
                       " JOIN fact_stage_times b ON b.order_id = a.order_id AND b.stage = ?"
                       " JOIN fact_orders o ON o.order_id = a.order_id"
                       " WHERE a.stage = ? AND o.created_us >= ? AND o.created_us < ?",
                       {stage.to, stage.from, range.from_us, range.to_us}, [&](const Rows& r) {
                         durations.emplace_back(Seconds(r.Int(1)), r.Text(0));
                         return absl::OkStatus();
                       }));
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
  Range range = RangeOf(request.range(), host_->clock().Now());
  std::map<std::string, v1::ExceptionTypeStats> types;
  std::map<std::string, std::vector<double>> resolve_times;
  v1::GetExceptionStatsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(
        s.ForEachRow("SELECT COUNT(*) FROM fact_orders WHERE created_us >= ? AND created_us < ?",
                     {range.from_us, range.to_us}, [&](const Rows& r) {
                       response.set_orders(r.Int(0));
                       return absl::OkStatus();
                     }));
    return s.ForEachRow(
        "SELECT type, grp, opened_us, resolved_us, resolution, escalated FROM fact_exceptions"
        " WHERE opened_us >= ? AND opened_us < ?",
        {range.from_us, range.to_us}, [&](const Rows& r) {
          v1::ExceptionTypeStats& t = types[r.Text(0)];
          t.set_type(r.Text(0));
          t.set_count(t.count() + 1);
          if (!r.IsNull(3)) {
            resolve_times[r.Text(0)].push_back(Seconds(r.Int(3) - r.Int(2)));
            (*t.mutable_resolutions())[r.Text(4)]++;
          }
          if (r.Int(5) != 0) t.set_overdue(t.overdue() + 1);
          (*t.mutable_by_group())[r.Text(1).empty() ? "(none)" : r.Text(1)]++;
          return absl::OkStatus();
        });
  }));
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
  Range range = RangeOf(request.range(), host_->clock().Now());
  std::vector<v1::SkuSales> skus;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) {
    return s.ForEachRow(
        "SELECT l.sku, COALESCE(p.category, ''), l.currency,"
        "       SUM(l.quantity), SUM(l.quantity * l.unit_minor),"
        "       SUM(COALESCE(r.quantity, 0)), SUM(COALESCE(r.quantity, 0) * l.unit_minor)"
        " FROM fact_lines l JOIN fact_orders o ON o.order_id = l.order_id"
        " LEFT JOIN fact_returns r ON r.order_id = l.order_id AND r.sku = l.sku"
        " LEFT JOIN fact_products p ON p.sku = l.sku"
        " WHERE o.cancelled = 0 AND o.created_us >= ? AND o.created_us < ?"
        " GROUP BY l.sku, l.currency",
        {range.from_us, range.to_us}, [&](const Rows& r) {
          v1::SkuSales& sale = skus.emplace_back();
          sale.set_sku(r.Text(0));
          sale.set_category(r.Text(1));
          sale.set_returned(r.Int(5));
          sale.set_quantity(r.Int(3) - r.Int(5));
          *sale.mutable_revenue() = MoneyOf(r.Text(2), r.Int(4) - r.Int(6));
          return absl::OkStatus();
        });
  }));
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
  Range range = RangeOf(request.range(), host_->clock().Now());
  v1::GetCarrierPerformanceResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) {
    return s.ForEachRow(
        "SELECT carrier_id, service_level, COUNT(*),"
        "       SUM(delivered_us IS NOT NULL),"
        "       SUM(delivered_us IS NOT NULL AND delivered_us <= promised_us),"
        "       SUM(CASE WHEN delivered_us IS NOT NULL THEN"
        "           delivered_us - COALESCE(picked_up_us, created_us) ELSE 0 END),"
        "       SUM(delayed), SUM(lost), SUM(failed)"
        " FROM fact_shipments WHERE created_us >= ? AND created_us < ?"
        " GROUP BY carrier_id, service_level ORDER BY carrier_id, service_level",
        {range.from_us, range.to_us}, [&](const Rows& r) {
          v1::CarrierPerformance* c = response.add_carriers();
          int64_t n = r.Int(2), delivered = r.Int(3);
          c->set_carrier_id(r.Text(0));
          c->set_service_level(r.Text(1));
          c->set_shipments(n);
          c->set_delivered(delivered);
          c->set_on_time_rate(delivered == 0 ? 0 : static_cast<double>(r.Int(4)) / delivered);
          c->set_average_transit_hours(delivered == 0 ? 0 : Seconds(r.Int(5)) / 3600.0 / delivered);
          c->set_delayed_rate(static_cast<double>(r.Int(6)) / n);
          c->set_lost_rate(static_cast<double>(r.Int(7)) / n);
          c->set_failed_rate(static_cast<double>(r.Int(8)) / n);
          return absl::OkStatus();
        });
  }));
  return response;
}

absl::StatusOr<v1::GetInventoryHealthResponse> Reports::InventoryHealth(
    const v1::GetInventoryHealthRequest& request) {
  absl::Time now = host_->clock().Now();
  Range range = RangeOf(request.range(), now);
  std::map<std::string, v1::SkuHealth> skus;
  std::map<std::string, int64_t> last_receipt;
  double age_sum = 0;
  int64_t waiting_rows = 0;
  v1::GetInventoryHealthResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(s.ForEachRow(
        "SELECT sku, MAX(at_us) FROM fact_movements WHERE kind = 'received' GROUP BY sku", {},
        [&](const Rows& r) {
          last_receipt[r.Text(0)] = r.Int(1);
          return absl::OkStatus();
        }));
    OMS_RETURN_IF_ERROR(s.ForEachRow(
        "SELECT sku, available, safety_stock, at_us FROM fact_low_stock", {}, [&](const Rows& r) {
          v1::SkuHealth& h = skus[r.Text(0)];
          h.set_sku(r.Text(0));
          h.set_low_stock(r.Int(3) >= last_receipt[r.Text(0)]);
          h.set_available_at_alert(r.Int(1));
          h.set_safety_stock(r.Int(2));
          return absl::OkStatus();
        }));
    OMS_RETURN_IF_ERROR(s.ForEachRow(
        "SELECT sku, SUM(quantity), MIN(created_us), COUNT(*), SUM(created_us) FROM fact_backorders"
        " WHERE served_us IS NULL GROUP BY sku",
        {}, [&](const Rows& r) {
          v1::SkuHealth& h = skus[r.Text(0)];
          h.set_sku(r.Text(0));
          h.set_backordered(r.Int(1));
          h.set_oldest_backorder_hours(Seconds(absl::ToUnixMicros(now) - r.Int(2)) / 3600);
          response.set_backordered_units(response.backordered_units() + r.Int(1));
          waiting_rows += r.Int(3);
          age_sum += Seconds(absl::ToUnixMicros(now) * r.Int(3) - r.Int(4)) / 3600;
          return absl::OkStatus();
        }));
    return s.ForEachRow(
        "SELECT sku, kind, SUM(quantity) FROM fact_movements WHERE at_us >= ? AND at_us < ?"
        " GROUP BY sku, kind",
        {range.from_us, range.to_us}, [&](const Rows& r) {
          v1::SkuHealth& h = skus[r.Text(0)];
          h.set_sku(r.Text(0));
          if (r.Text(1) == "shipped") h.set_shipped(r.Int(2));
          if (r.Text(1) == "received") h.set_received(r.Int(2));
          return absl::OkStatus();
        });
  }));
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
  response.set_average_backorder_age_hours(waiting_rows == 0 ? 0 : age_sum / waiting_rows);
  return response;
}

absl::StatusOr<v1::GetNotificationStatsResponse> Reports::NotificationStats(
    const v1::GetNotificationStatsRequest& request) {
  Range range = RangeOf(request.range(), host_->clock().Now());
  v1::GetNotificationStatsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) {
    return s.ForEachRow(
        "SELECT channel, SUM(outcome = 'sent'), SUM(outcome = 'dead'),"
        "       SUM(CASE WHEN outcome = 'sent' THEN attempts ELSE 0 END)"
        " FROM fact_notifications WHERE created_us >= ? AND created_us < ?"
        " GROUP BY channel ORDER BY channel",
        {range.from_us, range.to_us}, [&](const Rows& r) {
          v1::ChannelNotifications* c = response.add_channels();
          c->set_channel(r.Text(0));
          c->set_sent(r.Int(1));
          c->set_dead(r.Int(2));
          c->set_delivery_rate(static_cast<double>(c->sent()) / (c->sent() + c->dead()));
          c->set_average_attempts(c->sent() == 0 ? 0 : static_cast<double>(r.Int(3)) / c->sent());
          response.set_sent(response.sent() + c->sent());
          response.set_dead(response.dead() + c->dead());
          return absl::OkStatus();
        });
  }));
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
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) {
    return s.ForEachRow(
        "SELECT customer, MAX(created_us), COUNT(*) FROM fact_orders WHERE cancelled = 0"
        " AND customer != '' GROUP BY customer ORDER BY SUM(total_minor) DESC",
        {}, [&](const Rows& r) {
          double days = Seconds(absl::ToUnixMicros(now) - r.Int(1)) / 86400;
          int64_t orders = r.Int(2);
          const char* name = days > 180                  ? "dormant"
                             : days > 90                 ? "at_risk"
                             : orders >= 3               ? (days <= 30 ? "champions" : "loyal")
                             : orders == 1 && days <= 30 ? "new"
                                                         : "promising";
          v1::Segment& segment = segments[name];
          segment.set_customers(segment.customers() + 1);
          if (segment.members_size() < max_members) segment.add_members(r.Text(0));
          return absl::OkStatus();
        });
  }));
  v1::GetCustomerSegmentsResponse response;
  for (const Def& d : defs) *response.add_segments() = segments[d.name];
  return response;
}

absl::StatusOr<std::vector<std::string>> Reports::Csv(const v1::ExportReportRequest& request) {
  if (!request.format().empty() && request.format() != "CSV") {
    return absl::InvalidArgumentError("format: only CSV is supported");
  }
  std::vector<std::string> out;
  switch (request.report()) {
    case v1::ExportReportRequest::ORDER_STATS: {
      v1::GetOrderStatsRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetOrderStatsResponse report, OrderStats(r));
      out.push_back(
          CsvRecord({"period", "channel", "orders", "currency", "revenue_minor", "aov_minor"}));
      for (const auto& b : report.buckets()) {
        for (int i = 0; i < b.revenue_size(); ++i) {
          out.push_back(
              CsvRecord({b.period(), b.channel(), absl::StrCat(b.orders()),
                         b.revenue(i).currency_code(), absl::StrCat(b.revenue(i).minor_units()),
                         absl::StrCat(b.average_order_value(i).minor_units())}));
        }
      }
      return out;
    }
    case v1::ExportReportRequest::STAGE_DURATIONS: {
      v1::GetStageDurationsRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetStageDurationsResponse report, StageDurations(r));
      out.push_back(CsvRecord({"stage", "orders", "p50_s", "p90_s", "p99_s", "max_s"}));
      for (const auto& st : report.stages()) {
        out.push_back(
            CsvRecord({st.stage(), absl::StrCat(st.orders()), Num(st.p50_seconds()),
                       Num(st.p90_seconds()), Num(st.p99_seconds()), Num(st.max_seconds())}));
      }
      return out;
    }
    case v1::ExportReportRequest::EXCEPTION_STATS: {
      v1::GetExceptionStatsRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetExceptionStatsResponse report, ExceptionStats(r));
      out.push_back(
          CsvRecord({"type", "count", "rate", "mean_resolve_s", "p90_resolve_s", "overdue"}));
      for (const auto& t : report.types()) {
        out.push_back(CsvRecord({t.type(), absl::StrCat(t.count()), Num(t.rate()),
                                 Num(t.mean_resolve_seconds()), Num(t.p90_resolve_seconds()),
                                 absl::StrCat(t.overdue())}));
      }
      return out;
    }
    case v1::ExportReportRequest::SALES: {
      v1::GetSalesReportRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetSalesReportResponse report, Sales(r));
      out.push_back(
          CsvRecord({"sku", "category", "quantity", "returned", "currency", "revenue_minor"}));
      for (const auto& sale : report.skus()) {
        out.push_back(CsvRecord({sale.sku(), sale.category(), absl::StrCat(sale.quantity()),
                                 absl::StrCat(sale.returned()), sale.revenue().currency_code(),
                                 absl::StrCat(sale.revenue().minor_units())}));
      }
      return out;
    }
    case v1::ExportReportRequest::CARRIER_PERFORMANCE: {
      v1::GetCarrierPerformanceRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetCarrierPerformanceResponse report, CarrierPerformance(r));
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
    case v1::ExportReportRequest::INVENTORY_HEALTH: {
      v1::GetInventoryHealthRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetInventoryHealthResponse report, InventoryHealth(r));
      out.push_back(CsvRecord({"sku", "low_stock", "backordered", "oldest_backorder_h", "shipped",
                               "received", "sell_through"}));
      for (const auto& h : report.skus()) {
        out.push_back(
            CsvRecord({h.sku(), h.low_stock() ? "yes" : "no", absl::StrCat(h.backordered()),
                       Num(h.oldest_backorder_hours()), absl::StrCat(h.shipped()),
                       absl::StrCat(h.received()), Num(h.sell_through())}));
      }
      return out;
    }
    case v1::ExportReportRequest::CUSTOMER_SEGMENTS: {
      OMS_ASSIGN_OR_RETURN(v1::GetCustomerSegmentsResponse report,
                           CustomerSegments(v1::GetCustomerSegmentsRequest()));
      out.push_back(CsvRecord({"segment", "rule", "customers"}));
      for (const auto& seg : report.segments()) {
        out.push_back(CsvRecord({seg.name(), seg.rule(), absl::StrCat(seg.customers())}));
      }
      return out;
    }
    case v1::ExportReportRequest::NOTIFICATIONS: {
      v1::GetNotificationStatsRequest r;
      *r.mutable_range() = request.range();
      OMS_ASSIGN_OR_RETURN(v1::GetNotificationStatsResponse report, NotificationStats(r));
      out.push_back(CsvRecord({"channel", "sent", "dead", "delivery_rate", "avg_attempts"}));
      for (const auto& c : report.channels()) {
        out.push_back(CsvRecord({c.channel(), absl::StrCat(c.sent()), absl::StrCat(c.dead()),
                                 Num(c.delivery_rate()), Num(c.average_attempts())}));
      }
      return out;
    }
    default:
      return absl::InvalidArgumentError("report: is required");
  }
}

}  // namespace oms::analytics
