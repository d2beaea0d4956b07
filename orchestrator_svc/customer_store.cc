#include "orchestrator_svc/customer_store.h"

#include <set>

#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator::store {

// customer_key (a phone, e-mail or customer id) is kept as its keyed hash when the process
// has data keys (crypto::LookupKey).

absl::Status SaveCustomerTag(Session& s, const std::string& customer_key,
                             const v1::CustomerTag& tag) {
  return s
      .Exec(
          "INSERT INTO customer_tags(customer_key, tag, body) VALUES(?, ?, ?)"
          " ON CONFLICT(customer_key, tag) DO UPDATE SET body = excluded.body",
          {crypto::LookupKey(customer_key), tag.tag(), SqlArg::Blob(SerializeProto(tag))})
      .status();
}

absl::Status RemoveCustomerTag(Session& s, const std::string& customer_key,
                               const std::string& tag) {
  return s
      .Exec("DELETE FROM customer_tags WHERE customer_key = ? AND tag = ?",
            {crypto::LookupKey(customer_key), tag})
      .status();
}

absl::StatusOr<std::vector<v1::CustomerTag>> CustomerTags(Session& s,
                                                          const std::string& customer_key) {
  return QueryProtos<v1::CustomerTag>(
      s, "SELECT body FROM customer_tags WHERE customer_key = ? ORDER BY tag",
      {crypto::LookupKey(customer_key)});
}

absl::StatusOr<std::vector<v1::ReturnRecord>> ReturnsOf(Session& s, const std::string& order_id) {
  return QueryProtos<v1::ReturnRecord>(
      s, "SELECT body FROM returns WHERE order_id = ? ORDER BY return_id", {order_id});
}

absl::StatusOr<std::vector<v1::CustomerTag>> CustomerTags(Session& s,
                                                          const std::vector<std::string>& keys) {
  std::vector<v1::CustomerTag> all;
  std::set<std::string> seen;
  for (const std::string& key : keys) {
    if (key.empty()) continue;
    OMS_ASSIGN_OR_RETURN(std::vector<v1::CustomerTag> tags, CustomerTags(s, key));
    for (v1::CustomerTag& tag : tags) {
      if (seen.insert(tag.tag()).second) all.push_back(std::move(tag));
    }
  }
  return all;
}

}  // namespace oms::orchestrator::store
