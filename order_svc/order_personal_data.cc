#include "order_svc/order_personal_data.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/proto_rows.h"

namespace oms::order {
namespace {

bool IsHashed(absl::string_view column) {
  return column.empty() || absl::StartsWith(column, "h1:");
}

absl::StatusOr<std::vector<std::string>> FindOrders(Database& db, const CustomerMatch& customer) {
  std::vector<std::string> found;
  OMS_RETURN_IF_ERROR(db.Read([&](Session& s) {
    found.clear();
    // Hash and clear value both: rows written before the store had data keys, or not yet
    // resealed, hold the clear value.
    return s.ForEachRow(
        "SELECT order_id FROM orders WHERE (? != '' AND customer_phone IN (?, ?))"
        " OR (? != '' AND customer_email IN (?, ?)) OR (? != '' AND customer_id = ?)",
        {customer.phone, crypto::LookupKey(customer.phone), customer.phone, customer.email,
         crypto::LookupKey(customer.email), customer.email, customer.customer_id,
         customer.customer_id},
        [&](const Rows& row) {
          found.push_back(row.Text(0));
          return absl::OkStatus();
        });
  }));
  return found;
}

absl::StatusOr<int64_t> EraseLookupColumns(Database& db, const CustomerMatch& customer) {
  int64_t erased = 0;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    erased = 0;
    for (const std::string& order_id : customer.order_ids) {
      OMS_ASSIGN_OR_RETURN(
          int64_t changed,
          s.Exec("UPDATE orders SET customer_phone = '', customer_email = '',"
                 " create_fingerprint = ? WHERE order_id = ? AND (customer_phone != ''"
                 " OR customer_email != '' OR length(create_fingerprint) > 0)",
                 {SqlArg::Blob(""), order_id}));
      erased += changed;
    }
    return absl::OkStatus();
  }));
  return erased;
}

// Orders written before the store had data keys: their lookup columns become hashes.
absl::StatusOr<SweepCount> ResealLookupColumns(Database& db) {
  SweepCount count;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    count = SweepCount();
    std::vector<std::pair<std::string, std::string>> rows;
    OMS_RETURN_IF_ERROR(s.ForEachRow(
        "SELECT order_id, customer_phone, customer_email, create_fingerprint FROM orders", {},
        [&](const Rows& row) {
          ++count.scanned;
          std::string fingerprint = row.Blob(3);
          if (!IsHashed(row.Text(1)) || !IsHashed(row.Text(2)) || !IsHashed(fingerprint)) {
            rows.emplace_back(row.Text(0), fingerprint);
          }
          return absl::OkStatus();
        }));
    for (const auto& [order_id, fingerprint] : rows) {
      OMS_ASSIGN_OR_RETURN(
          std::optional<v1::Order> order,
          QueryProto<v1::Order>(s, "SELECT body FROM orders WHERE order_id = ?", {order_id}));
      if (!order.has_value()) continue;
      OMS_RETURN_IF_ERROR(
          s.Exec("UPDATE orders SET customer_phone = ?, customer_email = ?,"
                 " create_fingerprint = ? WHERE order_id = ?",
                 {crypto::LookupKey(order->customer().phone()),
                  crypto::LookupKey(absl::AsciiStrToLower(order->customer().email())),
                  SqlArg::Blob(IsHashed(fingerprint) ? fingerprint : crypto::Digest(fingerprint)),
                  order_id})
              .status());
      ++count.changed;
    }
    return absl::OkStatus();
  }));
  return count;
}

}  // namespace

PersonalDataPlan OrderPersonalData() {
  PersonalDataPlan plan;
  plan.records = {
      {{.table = "orders",
        .key = "order_id",
        .body = "body",
        .prototype = &v1::Order::default_instance()}},
      {{.table = "modifications",
        .key = "order_id || ' ' || version",
        .body = "body",
        .prototype = &v1::Modification::default_instance(),
        .order_column = "order_id"}},
  };
  plan.columns = {{"orders (lookup columns)", EraseLookupColumns, ResealLookupColumns}};
  plan.find_orders = FindOrders;
  return plan;
}

}  // namespace oms::order
