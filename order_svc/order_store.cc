#include "order_svc/order_store.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/storage/list_query.h"
#include "platform/storage/proto_rows.h"

namespace oms::order::store {
namespace {

using google::protobuf::util::TimeUtil;

// The columns orders are searched by: keyed hashes when the process has data keys, so a
// phone or e-mail filter still finds them without the values being stored in clear.
std::string PhoneKey(const v1::Order& order) { return crypto::LookupKey(order.customer().phone()); }

std::string EmailKey(const v1::Order& order) {
  return crypto::LookupKey(absl::AsciiStrToLower(order.customer().email()));
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE orders ("
      "  order_id TEXT PRIMARY KEY,"
      "  channel INTEGER NOT NULL,"
      "  external_reference TEXT NOT NULL,"
      "  status INTEGER NOT NULL,"
      "  customer_phone TEXT NOT NULL,"
      "  customer_email TEXT NOT NULL,"
      "  created_us INTEGER NOT NULL,"
      "  updated_us INTEGER NOT NULL,"
      "  version INTEGER NOT NULL,"
      "  create_fingerprint BLOB NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE UNIQUE INDEX orders_external_ref ON orders(channel, external_reference)"
      "  WHERE external_reference != '';"
      "CREATE INDEX orders_created ON orders(created_us DESC, order_id DESC);"
      "CREATE INDEX orders_status ON orders(status, created_us DESC);"
      "CREATE INDEX orders_phone ON orders(customer_phone, created_us DESC);"
      "CREATE INDEX orders_email ON orders(customer_email, created_us DESC);"
      "CREATE TABLE status_history ("
      "  order_id TEXT NOT NULL REFERENCES orders(order_id),"
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  body BLOB NOT NULL);"
      "CREATE INDEX status_history_order ON status_history(order_id, seq);"
      "CREATE TABLE modifications ("
      "  order_id TEXT NOT NULL REFERENCES orders(order_id),"
      "  version INTEGER NOT NULL,"
      "  body BLOB NOT NULL,"
      "  PRIMARY KEY (order_id, version));",
      // Version 2: orders by the channel's or ERP's customer id (a CRM key for customer
      // profiles). Rows written before keep '' until their next save.
      "ALTER TABLE orders ADD COLUMN customer_id TEXT NOT NULL DEFAULT '';"
      "CREATE INDEX orders_customer_id ON orders(customer_id, created_us DESC);",
  };
  return *migrations;
}

absl::Status InsertOrder(Session& s, const v1::Order& order, absl::string_view fingerprint) {
  return s
      .Exec(
          "INSERT INTO orders(order_id, channel, external_reference, status, customer_phone,"
          " customer_email, customer_id, created_us, updated_us, version, create_fingerprint,"
          " body) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {order.order_id(), static_cast<int>(order.channel()), order.external_reference(),
           static_cast<int>(order.status()), PhoneKey(order), EmailKey(order),
           order.customer().customer_id(), TimeUtil::TimestampToMicroseconds(order.created_at()),
           TimeUtil::TimestampToMicroseconds(order.updated_at()), order.version(),
           SqlArg::Blob(fingerprint), SqlArg::Blob(SerializeProto(order))})
      .status();
}

absl::Status SaveOrder(Session& s, const v1::Order& order) {
  OMS_ASSIGN_OR_RETURN(
      int64_t changed,
      s.Exec("UPDATE orders SET status = ?, customer_phone = ?, customer_email = ?,"
             " customer_id = ?, updated_us = ?, version = ?, body = ? WHERE order_id = ?",
             {static_cast<int>(order.status()), PhoneKey(order), EmailKey(order),
              order.customer().customer_id(), TimeUtil::TimestampToMicroseconds(order.updated_at()),
              order.version(), SqlArg::Blob(SerializeProto(order)), order.order_id()}));
  if (changed != 1) return absl::NotFoundError(absl::StrCat("order ", order.order_id()));
  return absl::OkStatus();
}

absl::StatusOr<v1::Order> LoadOrder(Session& s, absl::string_view order_id) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::Order> found,
      QueryProtos<v1::Order>(s, "SELECT body FROM orders WHERE order_id = ?", {order_id}));
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("order \"", order_id, "\" does not exist"));
  }
  return std::move(found[0]);
}

absl::StatusOr<std::optional<ExistingOrder>> FindByExternalReference(
    Session& s, v1::Channel channel, absl::string_view external_reference) {
  std::optional<ExistingOrder> existing;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT body, create_fingerprint FROM orders"
      " WHERE channel = ? AND external_reference = ? AND external_reference != ''",
      {static_cast<int>(channel), external_reference}, [&](const Rows& row) -> absl::Status {
        v1::Order order;
        OMS_RETURN_IF_ERROR(ParseStoredProto(row.Blob(0), &order));
        existing = ExistingOrder{std::move(order), row.Blob(1)};
        return absl::OkStatus();
      }));
  return existing;
}

absl::Status AppendStatusChange(Session& s, absl::string_view order_id,
                                const v1::StatusChange& change) {
  return s
      .Exec("INSERT INTO status_history(order_id, body) VALUES(?, ?)",
            {order_id, SqlArg::Blob(SerializeProto(change))})
      .status();
}

absl::StatusOr<std::vector<v1::StatusChange>> StatusChanges(Session& s,
                                                            absl::string_view order_id) {
  return QueryProtos<v1::StatusChange>(
      s, "SELECT body FROM status_history WHERE order_id = ? ORDER BY seq", {order_id});
}

absl::Status AppendModification(Session& s, absl::string_view order_id,
                                const v1::Modification& modification) {
  return s
      .Exec("INSERT INTO modifications(order_id, version, body) VALUES(?, ?, ?)",
            {order_id, modification.version(), SqlArg::Blob(SerializeProto(modification))})
      .status();
}

absl::StatusOr<std::vector<v1::Modification>> Modifications(Session& s,
                                                            absl::string_view order_id) {
  return QueryProtos<v1::Modification>(
      s, "SELECT body FROM modifications WHERE order_id = ? ORDER BY version", {order_id});
}

absl::StatusOr<std::vector<v1::Order>> ListOrders(Session& s, const OrderQuery& query) {
  ListQuery list("SELECT body FROM orders");
  list.In("status", query.statuses).In("channel", query.channels);
  // ListQuery keeps views of its arguments: the hashes must outlive it.
  const std::string phone_key = crypto::LookupKey(query.customer_phone);
  const std::string email_key = crypto::LookupKey(query.customer_email);
  list.Equal("customer_phone", phone_key).Equal("customer_email", email_key);
  list.Equal("customer_id", query.customer_id);
  list.Created(query.created_from_us, query.created_to_us);
  list.NewestFirst("order_id", query.after, query.limit);
  return QueryProtos<v1::Order>(s, list.sql(), list.args());
}

}  // namespace oms::order::store
