#ifndef OMS_PLATFORM_STORAGE_PERSONAL_RECORDS_H_
#define OMS_PLATFORM_STORAGE_PERSONAL_RECORDS_H_

// Sweeps over the records a store keeps as serialized protos (proto_rows.h), for what has to
// touch every stored personal value: erasing one customer's, and sealing them all again
// under a new data key. Which values are personal comes from the .proto markings, so a
// table is named once (RecordTable) and needs no code of its own.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "platform/storage/database.h"

namespace oms {

struct RecordTable {
  std::string table;         // "orders"
  std::string key;           // unique, to page by: a column or an expression of text columns
  bool integer_key = false;  // the key is an INTEGER column (outbox seq)
  std::string body;          // the serialized record's column
  // The record's type; null with `type_column`, whose text per row names it (idempotency
  // answers are of many types).
  const google::protobuf::Message* prototype = nullptr;
  std::string type_column;
  // A column naming the order a row belongs to, when its record does not say (modifications).
  std::string order_column;
};

// The record tables every store has: the outbox and the idempotency answers.
RecordTable OutboxRecords();
RecordTable IdempotencyRecords();

// A customer as stored values show them: their phone (normalised), e-mail (lower case),
// customer id, and their orders.
struct CustomerMatch {
  std::string phone;
  std::string email;
  std::string customer_id;
  absl::flat_hash_set<std::string> order_ids;

  // Whether the record (personal values opened) names the customer: a personal value holding
  // their phone or e-mail, or an order_id / customer_id field equal to one of theirs.
  bool Matches(google::protobuf::Message& record) const;
};

enum class RecordAction { kKeep, kRewrite, kDelete };

struct SweepCount {
  int64_t scanned = 0;
  int64_t changed = 0;  // rewritten or deleted
};

// Pages through `table`, 200 rows a transaction, hands each record as stored (personal values
// sealed or not) to `decide`, and writes back (sealed under the active key) or deletes what it
// says.
absl::StatusOr<SweepCount> SweepRecords(
    Database& db, const RecordTable& table,
    absl::FunctionRef<absl::StatusOr<RecordAction>(google::protobuf::Message& record,
                                                   const std::string& order_id)>
        decide);

// The two sweeps: the customer's records with their personal values cleared (`erase_or_delete`
// kDelete for tables where a record without them is worthless), and every record whose values
// are in clear or under an older key sealed again.
absl::StatusOr<SweepCount> EraseCustomerRecords(Database& db, const RecordTable& table,
                                                const CustomerMatch& customer,
                                                RecordAction erase_or_delete);
absl::StatusOr<SweepCount> ResealRecords(Database& db, const RecordTable& table);

// Inside a write transaction: every value of `column` (a lookup column) still in clear, from
// before the store had data keys, replaced by its keyed hash (crypto::LookupKey). No-op
// without keys.
absl::StatusOr<SweepCount> HashClearValues(Session& s, const std::string& table,
                                           const std::string& column);

// Personal values a service keeps in columns rather than records (lookup hashes, sealed
// text): its own code erases and reseals them.
struct PersonalColumns {
  std::string table;
  std::function<absl::StatusOr<int64_t>(Database&, const CustomerMatch&)> erase;
  std::function<absl::StatusOr<SweepCount>(Database&)> reseal;
};

// Where a service keeps personal data, beyond the outbox and idempotency answers every
// service has.
struct PersonalDataPlan {
  struct Records {
    RecordTable table;
    RecordAction erase = RecordAction::kRewrite;  // or kDelete
  };
  std::vector<Records> records;
  std::vector<PersonalColumns> columns;
  // order_svc: the customer's orders, found by its lookup columns.
  std::function<absl::StatusOr<std::vector<std::string>>(Database&, const CustomerMatch&)>
      find_orders;
};

}  // namespace oms

#endif  // OMS_PLATFORM_STORAGE_PERSONAL_RECORDS_H_
