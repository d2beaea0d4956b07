#ifndef OMS_LOGISTICS_SVC_RATE_CARD_H_
#define OMS_LOGISTICS_SVC_RATE_CARD_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/logistics/v1/logistics.pb.h"

namespace oms::logistics {

// Quoting and carrier choice as pure functions over the carrier table.

struct Parcel {
  std::string origin_region;
  std::string destination_region;
  int64_t weight_g = 0;
  int64_t volume_cm3 = 0;
  v1::Urgency urgency = v1::URGENCY_UNSPECIFIED;
  bool cod = false;
  std::optional<absl::Time> deadline;
  absl::Time ship_time;  // promised delivery = ship_time + transit days
};

// Historical on-time rate per (carrier_id, service level); absent means no history (1.0).
using OnTimeRates = std::map<std::pair<std::string, int>, double>;

struct Quote {
  std::vector<v1::ShippingOption> options;  // feasible ones, sorted (see QuoteShipmentResponse)
  std::vector<std::string> refusals;        // why each infeasible carrier/level was left out
};

// Every (carrier, service level) that can take the parcel: region served, weight and volume
// within limits, COD when asked. `carriers` should be the active ones.
Quote QuoteParcel(const std::vector<v1::Carrier>& carriers, const Parcel& parcel,
                  const OnTimeRates& on_time);

// The cheapest option meeting the deadline and urgency; equal prices go to the better on-time
// rate, then the earlier delivery. FAILED_PRECONDITION saying why when there is none.
absl::StatusOr<v1::SelectCarrierResponse> ChooseCarrier(const Quote& quote);

// Whether `level` satisfies `urgency` (LOW: any; NORMAL: STANDARD or EXPRESS; URGENT: EXPRESS).
bool MeetsUrgency(v1::ServiceLevel level, v1::Urgency urgency);

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_RATE_CARD_H_
