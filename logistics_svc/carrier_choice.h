// Quoting and carrier choice: every active carrier's price and promise for a parcel, and
// the one the rule picks (rate_card.h holds the rule itself). Thread-safe.
#ifndef OMS_LOGISTICS_SVC_CARRIER_CHOICE_H_
#define OMS_LOGISTICS_SVC_CARRIER_CHOICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "logistics_svc/rate_card.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/server/service_host.h"

namespace oms::logistics {

class CarrierChoice {
 public:
  explicit CarrierChoice(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::QuoteShipmentResponse> QuoteShipment(const v1::QuoteShipmentRequest& request);
  absl::StatusOr<v1::SelectCarrierResponse> SelectCarrier(const v1::QuoteShipmentRequest& request);
  // Inside the caller's transaction: the given carrier and level, or the rule's choice.
  absl::StatusOr<v1::ShippingOption> ChooseFor(Session& s, const Parcel& parcel,
                                               const std::string& carrier_id,
                                               v1::ServiceLevel level);

 private:
  ServiceHost* host_;
};

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_CARRIER_CHOICE_H_
