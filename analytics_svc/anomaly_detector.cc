#include "analytics_svc/anomaly_detector.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "analytics_svc/anomaly_baselines.h"
#include "analytics_svc/anomaly_samples.h"
#include "analytics_svc/anomaly_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

using reports_store::TimeSpan;

TimeSpan SpanBetween(absl::Time from, absl::Time to) {
  return {absl::ToUnixMicros(from), absl::ToUnixMicros(to)};
}

std::string Clock(absl::Time t) { return absl::FormatTime("%H:%M", t, absl::UTCTimeZone()); }

std::string Verdict(const v1::Anomaly& f) {
  if (f.test() == "robust_z") {
    return absl::StrFormat("robust z %.1f (needs %.1f)", f.score(), f.threshold());
  }
  return absl::StrFormat("%s p = %.2g (surprise %.1f, needs %.1f)", f.test(),
                         std::pow(10.0, -f.score()), f.score(), f.threshold());
}

// What a window's data was, per metric, for the explanations.
struct Window {
  samples::OutcomesBySubject delays, channel_exceptions, carrier_exceptions, warehouse_exceptions;
  samples::ValuesBySubject transit, fulfilment, handling;
  samples::HourlyCounts hourly_by_channel, hourly_by_sku;
  absl::Time from, to, hour_from, hour_to;
};

absl::StatusOr<Window> ReadWindow(Session& s, absl::Time now, absl::Duration length) {
  Window w;
  w.from = now - length;
  w.to = now;
  w.hour_to = absl::FromUnixSeconds(absl::ToUnixSeconds(now) / 3600 * 3600);
  w.hour_from = w.hour_to - absl::Hours(1);
  TimeSpan span = SpanBetween(w.from, w.to);
  OMS_ASSIGN_OR_RETURN(w.delays, samples::CarrierDelays(s, span));
  OMS_ASSIGN_OR_RETURN(w.channel_exceptions, samples::ChannelExceptions(s, span));
  OMS_ASSIGN_OR_RETURN(w.carrier_exceptions, samples::CarrierExceptions(s, span));
  OMS_ASSIGN_OR_RETURN(w.warehouse_exceptions, samples::WarehouseExceptions(s, span));
  OMS_ASSIGN_OR_RETURN(w.handling, samples::HandlingHours(s, span));
  OMS_ASSIGN_OR_RETURN(w.transit, samples::TransitHours(s, span));
  OMS_ASSIGN_OR_RETURN(w.fulfilment, samples::FulfilmentHours(s, span));
  TimeSpan hour = SpanBetween(w.hour_from, w.hour_to);
  OMS_ASSIGN_OR_RETURN(w.hourly_by_channel, samples::HourlyOrders(s, hour, false));
  OMS_ASSIGN_OR_RETURN(w.hourly_by_sku, samples::HourlyOrders(s, hour, true));
  return w;
}

std::optional<v1::Anomaly> CheckRateIn(const v1::Baseline& b, const samples::OutcomesBySubject& m,
                                       const std::string& what, const Window& w, int dismissals,
                                       const AnomalyOptions& options) {
  auto found = m.find(b.subject());
  if (found == m.end()) return std::nullopt;
  const samples::Outcomes& o = found->second;
  std::optional<v1::Anomaly> f = CheckRate(b, o.events, o.trials, dismissals, options);
  if (f.has_value()) {
    f->set_explanation(absl::StrFormat(
        "%s %s: %s on %d of %d (%.1f%%) between %s and %s UTC, against %.1f%% usual over %d; %s",
        b.dimension(), b.subject(), what, o.events, o.trials, 100 * f->observed(), Clock(w.from),
        Clock(w.to), 100 * f->baseline(), f->samples(), Verdict(*f)));
  }
  return f;
}

std::optional<v1::Anomaly> CheckDurationIn(const v1::Baseline& b, const samples::ValuesBySubject& m,
                                           const std::string& what, const Window& w, int dismissals,
                                           const AnomalyOptions& options) {
  auto found = m.find(b.subject());
  if (found == m.end()) return std::nullopt;
  std::optional<v1::Anomaly> f = CheckDuration(b, found->second, dismissals, options);
  if (f.has_value()) {
    f->set_explanation(absl::StrFormat(
        "%s %s: median %s %.1f h over %d between %s and %s UTC, against a usual %.1f h (MAD "
        "%.1f h, %d before); %s",
        b.dimension(), b.subject(), what, f->observed(), found->second.size(), Clock(w.from),
        Clock(w.to), f->baseline(), f->spread(), f->samples(), Verdict(*f)));
  }
  return f;
}

std::optional<v1::Anomaly> CheckHourIn(const v1::Baseline& b, const Window& w, int dismissals,
                                       const AnomalyOptions& options) {
  int hour_of_day = static_cast<int>(absl::ToUnixSeconds(w.hour_from) / 3600 % 24);
  if (b.hour_of_day() != hour_of_day) return std::nullopt;
  const samples::HourlyCounts& hourly =
      b.dimension() == "sku" ? w.hourly_by_sku : w.hourly_by_channel;
  int64_t observed = 0;
  if (auto subject = hourly.find(b.subject()); subject != hourly.end()) {
    auto hour = subject->second.find(absl::ToUnixMicros(w.hour_from));
    if (hour != subject->second.end()) observed = hour->second;
  }
  std::optional<v1::Anomaly> f = CheckCount(b, observed, dismissals, options);
  if (f.has_value()) {
    f->set_explanation(absl::StrFormat(
        "%s %s: %d orders between %s and %s UTC where %.0f are usual at this hour (median of %d "
        "days): a %s; %s",
        b.dimension(), b.subject(), observed, Clock(w.hour_from), Clock(w.hour_to), f->baseline(),
        f->samples(), observed < f->baseline() ? "drop" : "spike", Verdict(*f)));
  }
  return f;
}

std::optional<v1::Anomaly> CheckBaseline(const v1::Baseline& b, const Window& w, int dismissals,
                                         const AnomalyOptions& options) {
  const std::string& metric = b.metric();
  if (metric == kDelayRate) {
    return CheckRateIn(b, w.delays, "parcels found late", w, dismissals, options);
  }
  if (metric == kExceptionRate) {
    const samples::OutcomesBySubject& by = b.dimension() == "channel"   ? w.channel_exceptions
                                           : b.dimension() == "carrier" ? w.carrier_exceptions
                                                                        : w.warehouse_exceptions;
    return CheckRateIn(b, by, "exception tickets", w, dismissals, options);
  }
  if (metric == kHandlingHours) {
    return CheckDurationIn(b, w.handling, "label to pickup", w, dismissals, options);
  }
  if (metric == kTransitHours) {
    return CheckDurationIn(b, w.transit, "transit", w, dismissals, options);
  }
  if (metric == kFulfilmentHours) {
    return CheckDurationIn(b, w.fulfilment, "receipt to shipping", w, dismissals, options);
  }
  if (metric == kOrdersPerHour) return CheckHourIn(b, w, dismissals, options);
  return std::nullopt;  // line quantities: scored per order
}

}  // namespace

absl::StatusOr<v1::RefitBaselinesResponse> AnomalyDetector::Refit() {
  absl::Time now = host_->clock().Now();
  TimeSpan history = SpanBetween(now - options_.history, now - options_.window);
  v1::RefitBaselinesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Baseline> fitted,
                         FitBaselines(s, history, absl::ToUnixMicros(now)));
    response.set_baselines(static_cast<int>(fitted.size()));
    return anomaly_store::ReplaceBaselines(s, fitted);
  }));
  *response.mutable_fitted_at() = ToProtoTime(now);
  return response;
}

absl::StatusOr<bool> AnomalyDetector::Record(Session& s, v1::Anomaly& finding,
                                             absl::Time window_start, absl::Time window_end) {
  OMS_ASSIGN_OR_RETURN(
      std::optional<v1::Anomaly> open,
      anomaly_store::FindOpen(s, finding.metric(), finding.dimension(), finding.subject()));
  if (open.has_value() && finding.order_id().empty()) return false;
  finding.set_anomaly_id(host_->ids().Next("anm"));
  finding.set_state(v1::Anomaly::OPEN);
  *finding.mutable_window_start() = ToProtoTime(window_start);
  *finding.mutable_window_end() = ToProtoTime(window_end);
  *finding.mutable_detected_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(anomaly_store::Insert(s, finding));
  return true;
}

absl::StatusOr<std::vector<v1::Anomaly>> AnomalyDetector::Detect() {
  absl::Time now = host_->clock().Now();
  std::vector<v1::Anomaly> found;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    found.clear();
    OMS_ASSIGN_OR_RETURN(Window w, ReadWindow(s, now, options_.window));
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Baseline> baselines, anomaly_store::Baselines(s, ""));
    for (const v1::Baseline& b : baselines) {
      OMS_ASSIGN_OR_RETURN(int dismissals,
                           anomaly_store::Dismissals(s, b.metric(), b.dimension(), b.subject()));
      std::optional<v1::Anomaly> f = CheckBaseline(b, w, dismissals, options_.checks);
      if (!f.has_value()) continue;
      bool hourly = b.metric() == kOrdersPerHour;
      f->set_kind(hourly ? v1::SALES : v1::PROCESS);
      f->set_metric(b.metric());
      f->set_dimension(b.dimension());
      f->set_subject(b.subject());
      OMS_ASSIGN_OR_RETURN(bool recorded,
                           Record(s, *f, hourly ? w.hour_from : w.from, hourly ? w.hour_to : w.to));
      if (recorded) found.push_back(*f);
    }
    return absl::OkStatus();
  }));
  return found;
}

absl::StatusOr<v1::Anomaly> AnomalyDetector::Dismiss(const v1::DismissAnomalyRequest& request) {
  FieldErrors errors;
  errors.Required(request.anomaly_id(), "anomaly_id");
  errors.Required(request.reason(), "reason");
  errors.MaxLength(request.reason(), 2000, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Anomaly answer;
  std::string actor = auth::CurrentActor();
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "DismissAnomaly", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::optional<v1::Anomaly> a,
                             anomaly_store::Find(s, request.anomaly_id()));
        if (!a.has_value()) {
          return absl::NotFoundError(absl::StrCat("no anomaly ", request.anomaly_id()));
        }
        OMS_RETURN_IF_ERROR(anomaly_store::MarkDismissed(s, *a, actor, request.reason(),
                                                         absl::ToUnixMicros(host_->clock().Now())));
        answer = *std::move(a);
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::ListAnomaliesResponse> AnomalyDetector::List(
    const v1::ListAnomaliesRequest& request) {
  v1::ListAnomaliesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Anomaly> found, anomaly_store::List(s, request));
    for (v1::Anomaly& a : found) *response.add_anomalies() = std::move(a);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListBaselinesResponse> AnomalyDetector::ListBaselines(
    const v1::ListBaselinesRequest& request) {
  v1::ListBaselinesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Baseline> found,
                         anomaly_store::Baselines(s, request.metric()));
    for (v1::Baseline& b : found) {
      OMS_ASSIGN_OR_RETURN(int dismissals,
                           anomaly_store::Dismissals(s, b.metric(), b.dimension(), b.subject()));
      b.set_dismissals(dismissals);
      *response.add_baselines() = std::move(b);
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::analytics
