// Keeping stock up: the low-stock alert (LowStock when a sku's available falls below its
// safety stock, once per crossing) and reorder suggestions from recent demand and lead
// times. Thread-safe.
#ifndef OMS_INVENTORY_SVC_REPLENISHMENT_H_
#define OMS_INVENTORY_SVC_REPLENISHMENT_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/server/service_host.h"

namespace oms::inventory {

class Replenishment {
 public:
  explicit Replenishment(ServiceHost* host) : host_(host) {}

  // Inside the caller's transaction, after stock of `skus` moved: emits LowStock on a
  // crossing below safety stock and re-arms the alert when the sku recovers.
  absl::Status CheckLowStock(Session& s, const std::set<std::string>& skus);
  absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> Suggest(
      const v1::GetReplenishmentSuggestionsRequest& request);
  // Suggest, inside the caller's transaction (purchase-order drafts).
  absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> SuggestIn(
      Session& s, const v1::GetReplenishmentSuggestionsRequest& request);

 private:
  ServiceHost* host_;
};

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_REPLENISHMENT_H_
