#include "analytics_svc/anomaly_baselines.h"

#include "analytics_svc/anomaly_samples.h"
#include "analytics_svc/robust_stats.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

constexpr int64_t kHourUs = 3600LL * 1000000;

v1::Baseline Make(const std::string& metric, const std::string& dimension,
                  const std::string& subject, int64_t fitted_us) {
  v1::Baseline b;
  b.set_metric(metric);
  b.set_dimension(dimension);
  b.set_subject(subject);
  b.set_hour_of_day(-1);
  *b.mutable_fitted_at() = ToProtoTime(absl::FromUnixMicros(fitted_us));
  return b;
}

void AddRates(const samples::OutcomesBySubject& outcomes, const std::string& metric,
              const std::string& dimension, int64_t fitted_us, std::vector<v1::Baseline>& out) {
  for (const auto& [subject, o] : outcomes) {
    if (o.trials == 0) continue;
    v1::Baseline b = Make(metric, dimension, subject, fitted_us);
    b.set_center(static_cast<double>(o.events) / static_cast<double>(o.trials));
    b.set_samples(o.trials);
    out.push_back(std::move(b));
  }
}

void AddSpreads(const samples::ValuesBySubject& values, const std::string& metric,
                const std::string& dimension, int64_t fitted_us, std::vector<v1::Baseline>& out) {
  for (const auto& [subject, v] : values) {
    v1::Baseline b = Make(metric, dimension, subject, fitted_us);
    b.set_center(stats::Median(v));
    b.set_spread(stats::Mad(v));
    b.set_samples(static_cast<int64_t>(v.size()));
    out.push_back(std::move(b));
  }
}

// Per channel and hour of day (UTC): the median count of that hour over the days since the
// channel's first order, quiet hours counted as 0; `samples` is the number of days.
void AddHourly(const samples::HourlyCounts& hourly, const std::string& dimension,
               reports_store::TimeSpan history, int64_t fitted_us, std::vector<v1::Baseline>& out) {
  int64_t last_hour = history.to_us - ((history.to_us % kHourUs) + kHourUs) % kHourUs;
  for (const auto& [subject, counts] : hourly) {
    std::vector<std::vector<double>> by_hour(24);
    for (int64_t hour = counts.begin()->first; hour < last_hour; hour += kHourUs) {
      auto found = counts.find(hour);
      int hour_of_day = static_cast<int>((hour / kHourUs) % 24);
      by_hour[hour_of_day].push_back(found == counts.end() ? 0.0
                                                           : static_cast<double>(found->second));
    }
    for (int h = 0; h < 24; ++h) {
      if (by_hour[h].empty()) continue;
      v1::Baseline b = Make(kOrdersPerHour, dimension, subject, fitted_us);
      b.set_hour_of_day(h);
      b.set_center(stats::Median(by_hour[h]));
      b.set_spread(stats::Mad(by_hour[h]));
      b.set_samples(static_cast<int64_t>(by_hour[h].size()));
      out.push_back(std::move(b));
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<v1::Baseline>> FitBaselines(Session& s, reports_store::TimeSpan history,
                                                       int64_t fitted_us) {
  std::vector<v1::Baseline> out;
  OMS_ASSIGN_OR_RETURN(samples::OutcomesBySubject delays, samples::CarrierDelays(s, history));
  AddRates(delays, kDelayRate, "carrier", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::OutcomesBySubject by_channel,
                       samples::ChannelExceptions(s, history));
  AddRates(by_channel, kExceptionRate, "channel", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::OutcomesBySubject by_carrier,
                       samples::CarrierExceptions(s, history));
  AddRates(by_carrier, kExceptionRate, "carrier", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::OutcomesBySubject by_warehouse,
                       samples::WarehouseExceptions(s, history));
  AddRates(by_warehouse, kExceptionRate, "warehouse", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::ValuesBySubject handling, samples::HandlingHours(s, history));
  AddSpreads(handling, kHandlingHours, "warehouse", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::ValuesBySubject transit, samples::TransitHours(s, history));
  AddSpreads(transit, kTransitHours, "carrier", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::ValuesBySubject fulfilment, samples::FulfilmentHours(s, history));
  AddSpreads(fulfilment, kFulfilmentHours, "channel", fitted_us, out);
  OMS_ASSIGN_OR_RETURN(samples::ValuesBySubject lines, samples::LineQuantities(s, history));
  AddSpreads(lines, kLineQuantity, "sku", fitted_us, out);
  for (bool by_sku : {false, true}) {
    OMS_ASSIGN_OR_RETURN(samples::HourlyCounts hourly, samples::HourlyOrders(s, history, by_sku));
    AddHourly(hourly, by_sku ? "sku" : "channel", history, fitted_us, out);
  }
  return out;
}

}  // namespace oms::analytics
