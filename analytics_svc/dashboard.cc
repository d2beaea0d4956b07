#include "analytics_svc/dashboard.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "analytics_svc/analytics_access.h"
#include "httplib.h"
#include "platform/base/log.h"
#include "platform/base/money.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

constexpr char kStyle[] = R"css(
:root { --ink:#1f2933; --muted:#66788a; --line:#e4e9ee; --bg:#f5f7fa; --card:#fff;
        --accent:#2f6fde; --warn:#d9822b; --bad:#c23030; --good:#1f9d55; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", sans-serif;
       color:var(--ink); background:var(--bg); }
header { display:flex; justify-content:space-between; align-items:baseline; padding:18px 28px;
         background:#102a43; color:#fff; }
header h1 { margin:0; font-size:20px; font-weight:600; letter-spacing:.3px; }
header span { color:#9fb3c8; font-size:13px; }
main { padding:22px 28px; display:grid; grid-template-columns:repeat(auto-fit, minmax(420px, 1fr)); gap:18px; }
.tiles { grid-column:1/-1; display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:14px; }
.tile, .card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 18px; }
.tile .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.6px; }
.tile .value { font-size:28px; font-weight:600; margin-top:4px; }
.tile .value.long { font-size:20px; line-height:34px; } .tile .value.bad { color:var(--bad); } .tile .value.warn { color:var(--warn); }
.card h2 { margin:0 0 12px; font-size:15px; font-weight:600; }
.card p.note { margin:8px 0 0; color:var(--muted); font-size:12px; }
svg text { font-size:12px; fill:var(--ink); } svg .axis { fill:var(--muted); }
svg rect.bar { fill:var(--accent); } svg rect.track { fill:#eef2f6; }
table { width:100%; border-collapse:collapse; } th, td { text-align:left; padding:6px 4px; border-bottom:1px solid var(--line); }
th { color:var(--muted); font-weight:500; font-size:12px; } td.num { text-align:right; font-variant-numeric:tabular-nums; }
.empty { color:var(--muted); padding:18px 0; }
)css";

std::string Format(double value, int decimals) { return absl::StrFormat("%.*f", decimals, value); }

std::string Card(const std::string& title, const std::string& body, const std::string& note = "") {
  return absl::StrCat(
      "<section class=\"card\"><h2>", HtmlEscape(title), "</h2>", body,
      note.empty() ? "" : absl::StrCat("<p class=\"note\">", HtmlEscape(note), "</p>"),
      "</section>");
}

std::string Tile(const std::string& id, const std::string& label, const std::string& value,
                 const std::string& tone = "") {
  return absl::StrCat("<div class=\"tile\"><div class=\"label\">", HtmlEscape(label),
                      "</div><div class=\"value ", tone, "\" id=\"", id, "\">", HtmlEscape(value),
                      "</div></div>");
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

ValueText Fixed(int decimals, std::string unit) {
  return [decimals, unit](double value) { return Format(value, decimals) + unit; };
}

std::string DurationText(double seconds) {
  if (seconds < 1) return Format(seconds * 1000, 0) + " ms";
  if (seconds < 120) return Format(seconds, 1) + " s";
  if (seconds < 2 * 3600) return Format(seconds / 60, 1) + " min";
  if (seconds < 2 * 86400) return Format(seconds / 3600, 1) + " h";
  return Format(seconds / 86400, 1) + " d";
}

std::string BarChart(const std::string& id, const std::vector<std::pair<std::string, double>>& bars,
                     int decimals, const ValueText& text) {
  if (bars.empty()) return "<div class=\"empty\">No data yet.</div>";
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.second);
  if (max <= 0) max = 1;
  const int row = 26, label_w = 150, bar_w = 260, width = label_w + bar_w + 90;
  std::string svg = absl::StrFormat(
      "<svg id=\"%s\" role=\"img\" width=\"100%%\" viewBox=\"0 0 %d %d\" "
      "preserveAspectRatio=\"xMinYMin meet\">",
      id, width, row * static_cast<int>(bars.size()) + 4);
  for (size_t i = 0; i < bars.size(); ++i) {
    int y = static_cast<int>(i) * row + 2;
    int w = static_cast<int>(bars[i].second / max * bar_w + 0.5);
    std::string value = Format(bars[i].second, decimals);
    absl::StrAppendFormat(
        &svg,
        "<text x=\"0\" y=\"%d\" class=\"axis\">%s</text>"
        "<rect class=\"track\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" rx=\"3\"/>"
        "<rect class=\"bar\" data-label=\"%s\" data-value=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" "
        "height=\"16\" rx=\"3\"/>"
        "<text x=\"%d\" y=\"%d\">%s</text>",
        y + 13, HtmlEscape(bars[i].first), label_w, y, bar_w, HtmlEscape(bars[i].first), value,
        label_w, y, std::max(w, 1), label_w + bar_w + 8, y + 13, HtmlEscape(text(bars[i].second)));
  }
  return svg + "</svg>";
}

namespace {

// How customers fared: satisfied survey answers and delivery promises kept.
std::string CustomerTiles(Reports& reports) {
  v1::GetSatisfactionResponse satisfaction =
      reports.Satisfaction(v1::GetSatisfactionRequest()).value_or(v1::GetSatisfactionResponse());
  const v1::Csat& all = satisfaction.overall();
  std::string csat = all.responses() == 0 ? "–"
                                          : absl::StrCat(static_cast<int>(all.csat() * 100 + 0.5),
                                                         "% of ", all.responses());
  v1::GetPromiseAccuracyResponse promises = reports.PromiseAccuracy(v1::GetPromiseAccuracyRequest())
                                                .value_or(v1::GetPromiseAccuracyResponse());
  std::string kept =
      promises.delivered() == 0
          ? "–"
          : absl::StrCat(promises.on_time(), " of ", promises.delivered(), " (",
                         static_cast<int>(promises.on_time_rate() * 100 + 0.5), "%)");
  return absl::StrCat(Tile("kpi-csat", "Satisfied customers (4-5 of 5)", csat,
                           all.responses() > 0 && all.csat() < 0.8 ? "warn" : ""),
                      Tile("kpi-promises", "Delivery promises kept", kept,
                           promises.delivered() > promises.on_time() ? "warn" : ""));
}

// The skus below safety stock or backordered, as a table; `low_count` gets how many are low.
std::string LowStockTable(const v1::GetInventoryHealthResponse& health, int& low_count) {
  std::string low_rows;
  for (const auto& h : health.skus()) {
    if (!h.low_stock() && h.backordered() == 0) continue;
    low_count += h.low_stock() ? 1 : 0;
    absl::StrAppend(
        &low_rows, "<tr data-sku=\"", HtmlEscape(h.sku()), "\"><td>", HtmlEscape(h.sku()),
        "</td><td>", h.low_stock() ? "below safety stock" : "ok", "</td><td class=\"num\">",
        h.low_stock() ? absl::StrCat(h.available_at_alert(), " / ", h.safety_stock()) : "–",
        "</td><td class=\"num\">", h.backordered(), "</td></tr>");
  }
  return low_rows.empty() ? "<div class=\"empty\">Every sku is above its safety stock.</div>"
                          : absl::StrCat(
                                "<table id=\"low-stock\"><tr><th>SKU</th><th>State</th>"
                                "<th class=\"num\">Available / safety</th><th class=\"num\">"
                                "Backordered</th></tr>",
                                low_rows, "</table>");
}

// Orders per day (all channels) into `per_day`; answers the revenue per currency as text.
std::string DailyOrdersAndRevenue(const v1::GetOrderStatsResponse& stats,
                                  std::vector<std::pair<std::string, double>>& per_day) {
  std::map<std::string, int64_t> revenue;
  for (const auto& b : stats.buckets()) {
    if (!b.channel().empty()) continue;
    per_day.emplace_back(b.period(), static_cast<double>(b.orders()));
    for (const auto& m : b.revenue()) revenue[m.currency_code()] += m.minor_units();
  }
  std::string revenue_text;
  for (const auto& [currency, minor] : revenue) {
    absl::StrAppend(&revenue_text, revenue_text.empty() ? "" : " · ", MoneyText(minor, currency));
  }
  return revenue_text;
}

// Live: fetch the page again and swap the content, without a flashing full reload.
constexpr char kRefreshScript[] =
    "setInterval(()=>fetch(location.href,{cache:'no-store'}).then(r=>r.text()).then(t=>{"
    "const d=new DOMParser().parseFromString(t,'text/html');"
    "document.querySelector('main').replaceWith(d.querySelector('main'));"
    "document.getElementById('updated').replaceWith(d.getElementById('updated'));}).catch(()=>{}),"
    "10000);";

}  // namespace

Dashboard::Dashboard(Reports* reports, const Clock* clock, std::string listen,
                     std::string port_file, const auth::KeyStore* keys)
    : reports_(reports),
      clock_(clock),
      listen_(std::move(listen)),
      port_file_(std::move(port_file)) {
  // Whoever may call the reports may see the page (analytics_access.cc).
  if (keys != nullptr) {
    sessions_ = std::make_unique<auth::WebSessions>(
        keys, &AnalyticsAccess(), "/oms.analytics.v1.AnalyticsService/GetOrderStats", clock);
  }
}

Dashboard::~Dashboard() { Stop(); }

std::string Dashboard::Render() {
  absl::Time now = clock_->Now();
  v1::GetOrderStatsRequest stats_request;
  *stats_request.mutable_range()->mutable_from() = ToProtoTime(now - absl::Hours(24 * 14));
  v1::GetOrderStatsResponse stats =
      reports_->OrderStats(stats_request).value_or(v1::GetOrderStatsResponse());
  std::vector<std::pair<std::string, double>> per_day;
  std::string revenue_text = DailyOrdersAndRevenue(stats, per_day);
  v1::GetStageDurationsResponse stages = reports_->StageDurations(v1::GetStageDurationsRequest())
                                             .value_or(v1::GetStageDurationsResponse());
  std::vector<std::pair<std::string, double>> p50, p90;
  for (const auto& s : stages.stages()) {
    if (s.orders() == 0) continue;
    p50.emplace_back(s.stage(), s.p50_seconds());
    p90.emplace_back(s.stage(), s.p90_seconds());
  }
  v1::GetExceptionStatsResponse exceptions =
      reports_->ExceptionStats(v1::GetExceptionStatsRequest())
          .value_or(v1::GetExceptionStatsResponse());
  std::vector<std::pair<std::string, double>> by_type;
  int64_t exception_count = 0, overdue = 0;
  for (const auto& t : exceptions.types()) {
    by_type.emplace_back(t.type(), static_cast<double>(t.count()));
    exception_count += t.count();
    overdue += t.overdue();
  }
  std::sort(by_type.begin(), by_type.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  v1::GetCarrierPerformanceResponse carriers =
      reports_->CarrierPerformance(v1::GetCarrierPerformanceRequest())
          .value_or(v1::GetCarrierPerformanceResponse());
  std::vector<std::pair<std::string, double>> on_time;
  for (const auto& c : carriers.carriers()) {
    if (c.delivered() == 0) continue;
    on_time.emplace_back(absl::StrCat(c.carrier_id(), " ", c.service_level()),
                         c.on_time_rate() * 100);
  }
  v1::GetInventoryHealthResponse health = reports_->InventoryHealth(v1::GetInventoryHealthRequest())
                                              .value_or(v1::GetInventoryHealthResponse());
  int low_count = 0;
  std::string low_table = LowStockTable(health, low_count);
  v1::GetNotificationStatsResponse notifications =
      reports_->NotificationStats(v1::GetNotificationStatsRequest())
          .value_or(v1::GetNotificationStatsResponse());
  int64_t open_anomalies = reports_->OpenAnomalies().value_or(0);
  std::string tiles = absl::StrCat(
      "<div class=\"tiles\">", Tile("kpi-orders", "Orders (14 days)", absl::StrCat(stats.orders())),
      Tile("kpi-revenue", "Revenue (14 days)", revenue_text.empty() ? "–" : revenue_text, "long"),
      Tile("kpi-cancelled", "Cancelled", absl::StrCat(stats.cancelled()),
           stats.cancelled() > 0 ? "warn" : ""),
      Tile("kpi-exceptions", "Exceptions", absl::StrCat(exception_count),
           exception_count > 0 ? "warn" : ""),
      Tile("kpi-overdue", "Overdue tickets", absl::StrCat(overdue), overdue > 0 ? "bad" : ""),
      Tile("kpi-anomalies", "Open anomalies", absl::StrCat(open_anomalies),
           open_anomalies > 0 ? "bad" : ""),
      CustomerTiles(*reports_),
      Tile("kpi-backordered", "Units backordered", absl::StrCat(health.backordered_units()),
           health.backordered_units() > 0 ? "warn" : ""),
      Tile("kpi-notifications-dead", "Notifications failed",
           absl::StrCat(notifications.dead(), " of ", notifications.sent() + notifications.dead()),
           notifications.dead() > 0 ? "bad" : ""),
      "</div>");
  return absl::StrCat(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OMS operations</title>"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>",
      kStyle, "</style></head><body><header><h1>OMS operations</h1><span id=\"updated\">updated ",
      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", now, absl::UTCTimeZone()),
      " · refreshes every 10 s</span></header><main>", tiles,
      Card("Orders per day", BarChart("orders-per-day", per_day, 0, Fixed(0)),
           "Last 14 days, all channels."),
      Card("Stage durations (median)", BarChart("stage-p50", p50, 3, DurationText),
           "Median time orders spend in each step; end_to_end is order to completion."),
      Card("Stage durations (p90)", BarChart("stage-p90", p90, 3, DurationText),
           "Nine orders in ten get through each step faster than this."),
      Card("Exceptions by type", BarChart("exceptions-by-type", by_type, 0, Fixed(0))),
      Card("Carrier on-time rate", BarChart("carrier-on-time", on_time, 1, Fixed(1, "%")),
           "Delivered shipments that arrived by the promised time."),
      Card(absl::StrCat("Low stock and backorders (", low_count, " low)"), low_table),
      "</main><script>", kRefreshScript, "</script></body></html>");
}

}  // namespace oms::analytics
