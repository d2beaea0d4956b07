// The customer-profile part of orchestrator_svc's store: tags per customer key, and an
// order's returns. Functions run inside the caller's transaction.
#ifndef OMS_ORCHESTRATOR_SVC_CUSTOMER_STORE_H_
#define OMS_ORCHESTRATOR_SVC_CUSTOMER_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "platform/storage/database.h"

namespace oms::orchestrator::store {

absl::Status SaveCustomerTag(Session& s, const std::string& customer_key,
                             const v1::CustomerTag& tag);
absl::Status RemoveCustomerTag(Session& s, const std::string& customer_key, const std::string& tag);
absl::StatusOr<std::vector<v1::CustomerTag>> CustomerTags(Session& s,
                                                          const std::string& customer_key);
// The tags under any of `keys` (a customer known by phone, email and CRM id), each tag once.
absl::StatusOr<std::vector<v1::CustomerTag>> CustomerTags(Session& s,
                                                          const std::vector<std::string>& keys);
absl::StatusOr<std::vector<v1::ReturnRecord>> ReturnsOf(Session& s, const std::string& order_id);

}  // namespace oms::orchestrator::store

#endif  // OMS_ORCHESTRATOR_SVC_CUSTOMER_STORE_H_
