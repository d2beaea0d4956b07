#ifndef OMS_INVENTORY_SVC_INVENTORY_ACCESS_H_
#define OMS_INVENTORY_SVC_INVENTORY_ACCESS_H_

#include "platform/security/access_policy.h"

namespace oms::inventory {

// Who may call each oms.inventory.v1.InventoryService method: the one place this service's
// permissions are declared (enforced by platform/auth before any handler runs; ADMIN may call all).
const auth::AccessPolicy& InventoryAccess();
// The same for oms.inventory.v1.PurchasingService.
const auth::AccessPolicy& PurchasingAccess();

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_INVENTORY_ACCESS_H_
