#include "analytics_svc/analytics_personal_data.h"

#include <string>
#include <vector>

#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"

namespace oms::analytics {
namespace {

absl::StatusOr<int64_t> EraseCustomerKey(Database& db, const CustomerMatch& customer) {
  int64_t erased = 0;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    erased = 0;
    for (const std::string& order_id : customer.order_ids) {
      OMS_ASSIGN_OR_RETURN(
          int64_t changed,
          s.Exec("UPDATE fact_orders SET customer = '' WHERE order_id = ? AND customer != ''",
                 {order_id}));
      erased += changed;
    }
    if (!customer.phone.empty()) {
      OMS_ASSIGN_OR_RETURN(int64_t changed,
                           s.Exec("UPDATE fact_orders SET customer = '' WHERE customer IN (?, ?)",
                                  {crypto::LookupKey(customer.phone), customer.phone}));
      erased += changed;
    }
    return absl::OkStatus();
  }));
  return erased;
}

// Facts written before the store had data keys: the phone becomes its keyed hash.
absl::StatusOr<SweepCount> ResealCustomerKey(Database& db) {
  SweepCount count;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(count, HashClearValues(s, "fact_orders", "customer"));
    return absl::OkStatus();
  }));
  return count;
}

}  // namespace

PersonalDataPlan AnalyticsPersonalData() {
  PersonalDataPlan plan;
  plan.columns = {{"fact_orders (customer)", EraseCustomerKey, ResealCustomerKey}};
  return plan;
}

}  // namespace oms::analytics
