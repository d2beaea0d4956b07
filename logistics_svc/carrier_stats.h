// How each carrier and service level performed over a period: shipments, on-time rate,
// transit time, delays, losses, failures. Thread-safe.
#ifndef OMS_LOGISTICS_SVC_CARRIER_STATS_H_
#define OMS_LOGISTICS_SVC_CARRIER_STATS_H_

#include "absl/status/statusor.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/server/service_host.h"

namespace oms::logistics {

class CarrierStats {
 public:
  explicit CarrierStats(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::GetCarrierStatsResponse> Get(const v1::GetCarrierStatsRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_CARRIER_STATS_H_
