// GetPromiseAccuracy: the delivery promised at placement against the delivery that came,
// overall, per channel and per carrier of the last parcel.
#include <map>
#include <string>

#include "analytics_svc/reports.h"
#include "analytics_svc/reports_store.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

struct Tally {
  int64_t delivered = 0;
  int64_t on_time = 0;
  double hours_late = 0;

  void Add(int64_t promised_us, int64_t delivered_us) {
    ++delivered;
    if (delivered_us <= promised_us) {
      ++on_time;
    } else {
      hours_late += static_cast<double>(delivered_us - promised_us) / 3.6e9;
    }
  }
  double Rate() const { return delivered == 0 ? 0 : static_cast<double>(on_time) / delivered; }
  double AverageLate() const {
    int64_t late = delivered - on_time;
    return late == 0 ? 0 : hours_late / static_cast<double>(late);
  }
};

void Fill(const std::string& key, const Tally& t, v1::PromiseAccuracy* out) {
  out->set_key(key);
  out->set_delivered(t.delivered);
  out->set_on_time(t.on_time);
  out->set_on_time_rate(t.Rate());
  out->set_average_hours_late(t.AverageLate());
}

}  // namespace

absl::StatusOr<v1::GetPromiseAccuracyResponse> Reports::PromiseAccuracy(
    const v1::GetPromiseAccuracyRequest& request) {
  absl::Time now = host_->clock().Now();
  reports_store::TimeSpan span = SpanOf(request.range(), now);
  std::vector<reports_store::PromiseRow> rows;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(rows, reports_store::PromisedOrders(s, span));
    return absl::OkStatus();
  }));
  v1::GetPromiseAccuracyResponse response;
  Tally all;
  std::map<std::string, Tally> by_channel, by_carrier;
  for (const reports_store::PromiseRow& row : rows) {
    response.set_promised(response.promised() + 1);
    if (!row.delivered_us.has_value()) {
      if (row.promised_us < absl::ToUnixMicros(now)) response.set_overdue(response.overdue() + 1);
      continue;
    }
    all.Add(row.promised_us, *row.delivered_us);
    by_channel[row.channel].Add(row.promised_us, *row.delivered_us);
    by_carrier[row.carrier_id].Add(row.promised_us, *row.delivered_us);
  }
  response.set_delivered(all.delivered);
  response.set_on_time(all.on_time);
  response.set_on_time_rate(all.Rate());
  response.set_average_hours_late(all.AverageLate());
  for (const auto& [key, t] : by_channel) Fill(key, t, response.add_by_channel());
  for (const auto& [key, t] : by_carrier) Fill(key, t, response.add_by_carrier());
  return response;
}

}  // namespace oms::analytics
