// The SELECTs of anomaly detection: what the facts say about one span, per subject, in the
// shapes the detectors test (outcomes as events of trials, durations, hourly counts).
#ifndef OMS_ANALYTICS_SVC_ANOMALY_SAMPLES_H_
#define OMS_ANALYTICS_SVC_ANOMALY_SAMPLES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "analytics_svc/reports_store.h"
#include "platform/storage/database.h"

namespace oms::analytics::samples {

using reports_store::TimeSpan;

// Events among trials per subject, e.g. parcels found late among parcels with an outcome.
struct Outcomes {
  int64_t events = 0;
  int64_t trials = 0;
};
using OutcomesBySubject = std::map<std::string, Outcomes>;
using ValuesBySubject = std::map<std::string, std::vector<double>>;
// Per subject, per whole hour (its start in microseconds): how many.
using HourlyCounts = std::map<std::string, std::map<int64_t, int64_t>>;

// Per carrier: parcels found late in `span` among those with an outcome in it (late, or
// delivered without having been late).
absl::StatusOr<OutcomesBySubject> CarrierDelays(Session& s, TimeSpan span);
// Exception tickets opened in `span` (the suite's own follow-ups excluded: process anomalies,
// feedback follow-ups) among orders created in it, per channel; per carrier among parcels
// created in it, for tickets of orders that carrier carries.
absl::StatusOr<OutcomesBySubject> ChannelExceptions(Session& s, TimeSpan span);
absl::StatusOr<OutcomesBySubject> CarrierExceptions(Session& s, TimeSpan span);
// The same per warehouse the parcels left from.
absl::StatusOr<OutcomesBySubject> WarehouseExceptions(Session& s, TimeSpan span);
// Hours from pickup to delivery of parcels delivered in `span`, per carrier.
absl::StatusOr<ValuesBySubject> TransitHours(Session& s, TimeSpan span);
// Hours from label to pickup of parcels picked up in `span`, per warehouse.
absl::StatusOr<ValuesBySubject> HandlingHours(Session& s, TimeSpan span);
// Hours from receipt to shipping of orders shipped in `span`, per channel.
absl::StatusOr<ValuesBySubject> FulfilmentHours(Session& s, TimeSpan span);
// Orders created per channel (`by_sku`: orders with a line of each sku) in each whole hour
// of `span`; hours without orders are absent.
absl::StatusOr<HourlyCounts> HourlyOrders(Session& s, TimeSpan span, bool by_sku);
// Line quantities per sku of orders created in `span`.
absl::StatusOr<ValuesBySubject> LineQuantities(Session& s, TimeSpan span);

// One earlier order of a customer: its units and total.
struct CustomerOrder {
  double quantity = 0;
  double total_minor = 0;
};
// The customer's orders in `currency` created before `before_us`, `order_id` excluded,
// newest first, at most `limit`.
absl::StatusOr<std::vector<CustomerOrder>> CustomerOrders(Session& s, const std::string& customer,
                                                          const std::string& currency,
                                                          const std::string& order_id,
                                                          int64_t before_us, int limit);

}  // namespace oms::analytics::samples

#endif  // OMS_ANALYTICS_SVC_ANOMALY_SAMPLES_H_
