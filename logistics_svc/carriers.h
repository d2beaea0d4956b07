#ifndef OMS_LOGISTICS_SVC_CARRIERS_H_
#define OMS_LOGISTICS_SVC_CARRIERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "platform/server/service_host.h"

namespace oms::logistics {

// The carrier table: validation, create/update/list, and seeding from a text-proto file
// (CarrierList) at start-up. Thread-safe.
class Carriers {
 public:
  explicit Carriers(ServiceHost* host) : host_(host) {}

  absl::StatusOr<v1::Carrier> CreateCarrier(const v1::CreateCarrierRequest& request);
  absl::StatusOr<v1::Carrier> UpdateCarrier(const v1::UpdateCarrierRequest& request);
  absl::StatusOr<v1::ListCarriersResponse> ListCarriers(const v1::ListCarriersRequest& request);

  // Adds the carriers of `path` that the store does not have yet; carriers edited at run
  // time are left as they are. Answers how many were added.
  absl::StatusOr<int> SeedFromFile(const std::string& path);

 private:
  ServiceHost* host_;
};

absl::Status ValidateCarrier(const v1::Carrier& carrier);

}  // namespace oms::logistics

#endif  // OMS_LOGISTICS_SVC_CARRIERS_H_
