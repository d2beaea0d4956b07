// AnomalyDetector::ScoreOrder: one order against its customer's own history (units, amount)
// and its skus' usual line quantities (fitted baselines).
#include <map>

#include "absl/strings/str_format.h"
#include "analytics_svc/anomaly_baselines.h"
#include "analytics_svc/anomaly_detector.h"
#include "analytics_svc/anomaly_samples.h"
#include "analytics_svc/anomaly_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"

namespace oms::analytics {
namespace {

// Enough of the customer's past to judge by, newest first.
constexpr int kCustomerHistory = 200;

void Check(const v1::ScoreOrderRequest& request, FieldErrors& errors) {
  errors.Required(request.order_id(), "order_id");
  errors.Required(request.customer(), "customer");
  errors.Required(request.currency_code(), "currency_code");
  errors.Check(!request.lines().empty(), "lines", "needs at least one line");
  for (const auto& line : request.lines()) {
    errors.Required(line.sku(), "lines.sku");
    errors.Check(line.quantity() > 0, "lines.quantity", "must be > 0");
  }
}

std::string Describe(const v1::Anomaly& f, const std::string& what, const std::string& whose) {
  return absl::StrFormat(
      "%s %s is %.1fx %s median of %s (MAD %s, %d before); robust z %.1f (needs %.1f)", what,
      absl::StrFormat("%.0f", f.observed()), f.observed() / std::max(f.baseline(), 1.0), whose,
      absl::StrFormat("%.0f", f.baseline()), absl::StrFormat("%.0f", f.spread()), f.samples(),
      f.score(), f.threshold());
}

}  // namespace

absl::StatusOr<v1::ScoreOrderResponse> AnomalyDetector::ScoreOrder(
    const v1::ScoreOrderRequest& request) {
  FieldErrors errors;
  Check(request, errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  absl::Time now = host().clock().Now();
  v1::ScoreOrderResponse response;
  OMS_RETURN_IF_ERROR(host().db().Transact([&](Session& s) -> absl::Status {
    response.Clear();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Anomaly> scored,
                         anomaly_store::OfOrder(s, request.order_id()));
    if (!scored.empty()) {  // scored before: the same answer
      for (v1::Anomaly& a : scored) *response.add_anomalies() = std::move(a);
      return absl::OkStatus();
    }
    OMS_ASSIGN_OR_RETURN(
        std::vector<samples::CustomerOrder> past,
        samples::CustomerOrders(s, request.customer(), request.currency_code(), request.order_id(),
                                absl::ToUnixMicros(now), kCustomerHistory));
    std::vector<double> units, amounts;
    for (const samples::CustomerOrder& o : past) {
      units.push_back(o.quantity);
      amounts.push_back(o.total_minor);
    }
    double quantity = 0;
    for (const auto& line : request.lines()) quantity += static_cast<double>(line.quantity());
    std::vector<v1::Anomaly> findings;
    auto consider = [&](std::optional<v1::Anomaly> f, const std::string& metric,
                        const std::string& dimension, const std::string& subject,
                        const std::string& explanation_what, const std::string& whose) {
      if (!f.has_value()) return;
      f->set_kind(v1::ORDER);
      f->set_metric(metric);
      f->set_dimension(dimension);
      f->set_subject(subject);
      f->set_order_id(request.order_id());
      f->set_explanation(Describe(*f, explanation_what, whose));
      findings.push_back(*std::move(f));
    };
    const AnomalyOptions& checks = options_.checks;
    OMS_ASSIGN_OR_RETURN(
        int d_units, anomaly_store::Dismissals(s, kOrderQuantity, "customer", request.customer()));
    consider(CheckSize(quantity, units, d_units, checks), kOrderQuantity, "customer",
             request.customer(), "units ordered:", "the customer's");
    OMS_ASSIGN_OR_RETURN(
        int d_amount, anomaly_store::Dismissals(s, kOrderAmount, "customer", request.customer()));
    consider(CheckSize(static_cast<double>(request.total_minor()), amounts, d_amount, checks),
             kOrderAmount, "customer", request.customer(),
             absl::StrCat("order total (", request.currency_code(), " minor units):"),
             "the customer's");
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Baseline> lines,
                         anomaly_store::Baselines(s, kLineQuantity));
    std::map<std::string, const v1::Baseline*> by_sku;
    for (const v1::Baseline& b : lines) by_sku[b.subject()] = &b;
    for (const auto& line : request.lines()) {
      auto b = by_sku.find(line.sku());
      if (b == by_sku.end()) continue;
      OMS_ASSIGN_OR_RETURN(int d_line,
                           anomaly_store::Dismissals(s, kLineQuantity, "sku", line.sku()));
      consider(CheckSizeAgainst(static_cast<double>(line.quantity()), *b->second, d_line, checks),
               kLineQuantity, "sku", line.sku(), absl::StrCat("quantity of ", line.sku(), ":"),
               "the sku's");
    }
    for (v1::Anomaly& f : findings) {
      OMS_RETURN_IF_ERROR(Record(s, f, now, now).status());
      *response.add_anomalies() = f;
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::analytics
