#ifndef OMS_ORDER_SVC_ORDER_STORE_H_
#define OMS_ORDER_SVC_ORDER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/order/v1/order.pb.h"
#include "platform/storage/database.h"

namespace oms::order {

// All SQL of order_svc. An order is stored whole (its proto) plus the columns it is
// looked up and filtered by; status history and modifications are append-only tables.
// Functions run inside the caller's transaction.
namespace store {

const std::vector<Migration>& Migrations();

// `fingerprint` identifies the create request, so a resend with the same (channel,
// external reference) can be told apart from a different order reusing the reference.
absl::Status InsertOrder(Session& s, const v1::Order& order, absl::string_view fingerprint);
absl::Status SaveOrder(Session& s, const v1::Order& order);
// NOT_FOUND when absent.
absl::StatusOr<v1::Order> LoadOrder(Session& s, absl::string_view order_id);

struct ExistingOrder {
  v1::Order order;
  std::string fingerprint;
};
absl::StatusOr<std::optional<ExistingOrder>> FindByExternalReference(
    Session& s, v1::Channel channel, absl::string_view external_reference);

absl::Status AppendStatusChange(Session& s, absl::string_view order_id,
                                const v1::StatusChange& change);
absl::StatusOr<std::vector<v1::StatusChange>> StatusChanges(Session& s, absl::string_view order_id);
absl::Status AppendModification(Session& s, absl::string_view order_id,
                                const v1::Modification& modification);
absl::StatusOr<std::vector<v1::Modification>> Modifications(Session& s, absl::string_view order_id);

// Filters of ListOrders, already validated. `after` is the keyset position of the last
// order of the previous page (created time, order id), newest first.
struct OrderQuery {
  std::vector<int> statuses;
  std::vector<int> channels;
  std::string customer_phone;  // normalised
  std::string customer_email;  // lower-cased
  std::string customer_id;     // the channel's or ERP's, exact
  std::optional<int64_t> created_from_us;
  std::optional<int64_t> created_to_us;
  std::optional<std::pair<int64_t, std::string>> after;
  int limit = 50;
};
absl::StatusOr<std::vector<v1::Order>> ListOrders(Session& s, const OrderQuery& query);

}  // namespace store
}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_STORE_H_
