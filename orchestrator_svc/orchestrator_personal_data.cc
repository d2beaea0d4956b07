#include "orchestrator_svc/orchestrator_personal_data.h"

#include <string>
#include <vector>

#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "orchestrator_svc/customer_tier.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"

namespace oms::orchestrator {
namespace {

RecordTable Records(const char* table, const char* key, const google::protobuf::Message& type,
                    bool integer_key = false) {
  return {.table = table,
          .key = key,
          .integer_key = integer_key,
          .body = "body",
          .prototype = &type,
          .order_column = "order_id"};
}

// Tags are kept per customer key (phone, "email:...", "crm:..."), as a keyed hash.
absl::StatusOr<int64_t> EraseTags(Database& db, const CustomerMatch& customer) {
  order::v1::Customer who;
  who.set_phone(customer.phone);
  who.set_email(customer.email);
  who.set_customer_id(customer.customer_id);
  int64_t erased = 0;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    erased = 0;
    for (const std::string& key : CustomerKeysOf(who)) {
      if (key.empty()) continue;
      OMS_ASSIGN_OR_RETURN(int64_t deleted,
                           s.Exec("DELETE FROM customer_tags WHERE customer_key IN (?, ?)",
                                  {crypto::LookupKey(key), key}));
      erased += deleted;
    }
    return absl::OkStatus();
  }));
  return erased;
}

// Tags written before the store had data keys: their customer key becomes its hash.
absl::StatusOr<SweepCount> ResealTags(Database& db) {
  SweepCount count;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(count, HashClearValues(s, "customer_tags", "customer_key"));
    return absl::OkStatus();
  }));
  return count;
}

}  // namespace

PersonalDataPlan OrchestratorPersonalData() {
  PersonalDataPlan plan;
  plan.records = {
      {Records("workflows", "order_id", v1::Workflow::default_instance())},
      {Records("tickets", "ticket_id", v1::ExceptionTicket::default_instance())},
      {Records("review_decisions", "seq", v1::ReviewDecision::default_instance(), true)},
      {Records("returns", "return_id", v1::ReturnRecord::default_instance())},
      {Records("feedback", "feedback_id", v1::Feedback::default_instance())},
      {Records("compensations", "compensation_id", v1::Compensation::default_instance())},
      {{.table = "customer_tags",
        .key = "customer_key || ' ' || tag",
        .body = "body",
        .prototype = &v1::CustomerTag::default_instance()}},
  };
  plan.columns = {{"customer_tags", EraseTags, ResealTags}};
  return plan;
}

}  // namespace oms::orchestrator
