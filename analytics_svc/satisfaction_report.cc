// GetSatisfaction: CSAT from the survey answers, by channel, carrier, ticket type and
// resolution, and what compensation cost per exception type.
#include <map>
#include <string>

#include "analytics_svc/reports.h"
#include "analytics_svc/reports_store.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

struct Ratings {
  int64_t responses = 0;
  int64_t sum = 0;
  int64_t satisfied = 0;  // 4 or 5

  void Add(int rating) {
    ++responses;
    sum += rating;
    satisfied += rating >= 4 ? 1 : 0;
  }
};

void Fill(const std::string& key, const Ratings& r, v1::Csat* out) {
  out->set_key(key);
  out->set_responses(r.responses);
  out->set_average_rating(r.responses == 0 ? 0 : static_cast<double>(r.sum) / r.responses);
  out->set_csat(r.responses == 0 ? 0 : static_cast<double>(r.satisfied) / r.responses);
}

}  // namespace

absl::StatusOr<v1::GetSatisfactionResponse> Reports::Satisfaction(
    const v1::GetSatisfactionRequest& request) {
  absl::Time now = host_->clock().Now();
  reports_store::TimeSpan span = SpanOf(request.range(), now);
  std::vector<reports_store::FeedbackRow> answers;
  std::vector<reports_store::CompensationRow> given;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(answers, reports_store::FeedbackGiven(s, span));
    OMS_ASSIGN_OR_RETURN(given, reports_store::CompensationGiven(s, span));
    return absl::OkStatus();
  }));
  Ratings overall;
  std::map<std::string, Ratings> channel, carrier, ticket_type, resolution;
  for (const reports_store::FeedbackRow& a : answers) {
    overall.Add(a.rating);
    channel[a.channel].Add(a.rating);
    if (!a.carrier_id.empty()) carrier[a.carrier_id].Add(a.rating);
    if (!a.ticket_type.empty()) ticket_type[a.ticket_type].Add(a.rating);
    if (!a.resolution.empty()) resolution[a.resolution].Add(a.rating);
  }
  v1::GetSatisfactionResponse response;
  Fill("", overall, response.mutable_overall());
  for (const auto& [key, r] : channel) Fill(key, r, response.add_by_channel());
  for (const auto& [key, r] : carrier) Fill(key, r, response.add_by_carrier());
  for (const auto& [key, r] : ticket_type) Fill(key, r, response.add_by_ticket_type());
  for (const auto& [key, r] : resolution) Fill(key, r, response.add_by_resolution());
  for (const reports_store::CompensationRow& c : given) {
    v1::CompensationCost* cost = response.add_compensation();
    cost->set_exception_type(c.exception_type);
    cost->set_kind(c.kind);
    cost->set_count(c.count);
    cost->mutable_total()->set_currency_code(c.currency);
    cost->mutable_total()->set_minor_units(c.total_minor);
  }
  return response;
}

}  // namespace oms::analytics
