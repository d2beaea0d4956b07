#include "platform/storage/personal_records.h"

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/any.pb.h"
#include "platform/base/status.h"
#include "platform/crypto/data_protection.h"
#include "platform/crypto/personal_fields.h"
#include "platform/storage/proto_rows.h"

namespace oms {
namespace {

constexpr int kPageRows = 200;

// A phone shorter than this would match inside unrelated numbers.
constexpr size_t kMinPhoneChars = 6;

// A row's key owned (SqlArg only views its text).
struct RowKey {
  bool integer = false;
  int64_t number = 0;
  std::string text;
  SqlArg arg() const { return integer ? SqlArg(number) : SqlArg(text); }
};

struct PageRow {
  RowKey key;
  std::string body;
  std::string type;
  std::string order_id;
};

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> NewRecord(const RecordTable& table,
                                                                     const std::string& type) {
  const google::protobuf::Message* prototype = table.prototype;
  if (prototype == nullptr) {
    const google::protobuf::Descriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
    if (descriptor != nullptr) {
      prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
    }
  }
  if (prototype == nullptr) return nullptr;  // a type this binary does not know: left alone
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

absl::StatusOr<std::vector<PageRow>> ReadPage(Session& s, const RecordTable& table,
                                              const RowKey& after, bool first) {
  std::string sql =
      absl::StrCat("SELECT ", table.key, ", ", table.body, ", ",
                   table.type_column.empty() ? "''" : table.type_column, ", ",
                   table.order_column.empty() ? "''" : table.order_column, " FROM ", table.table);
  std::vector<SqlArg> args;
  if (!first) {
    absl::StrAppend(&sql, " WHERE ", table.key, " > ?");
    args.push_back(after.arg());
  }
  absl::StrAppend(&sql, " ORDER BY ", table.key, " LIMIT ", kPageRows);
  std::vector<PageRow> rows;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& row) {
    RowKey key{table.integer_key, table.integer_key ? row.Int(0) : 0,
               table.integer_key ? "" : row.Text(0)};
    rows.push_back({std::move(key), row.Blob(1), row.Text(2), row.Text(3)});
    return absl::OkStatus();
  }));
  return rows;
}

absl::StatusOr<int64_t> Apply(Session& s, const RecordTable& table, const PageRow& row,
                              RecordAction action, const google::protobuf::Message& record) {
  if (action == RecordAction::kDelete) {
    return s.Exec(absl::StrCat("DELETE FROM ", table.table, " WHERE ", table.key, " = ?"),
                  {row.key.arg()});
  }
  return s.Exec(
      absl::StrCat("UPDATE ", table.table, " SET ", table.body, " = ? WHERE ", table.key, " = ?"),
      {SqlArg::Blob(SerializeProto(record)), row.key.arg()});
}

}  // namespace

RecordTable OutboxRecords() {
  return {.table = "outbox",
          .key = "seq",
          .integer_key = true,
          .body = "payload",
          .prototype = &google::protobuf::Any::default_instance()};
}

RecordTable IdempotencyRecords() {
  return {.table = "idempotency_keys",
          .key = "method || ' ' || key",
          .body = "response",
          .type_column = "response_type"};
}

bool CustomerMatch::Matches(google::protobuf::Message& record) const {
  bool found = false;
  crypto::VisitStringValues(record, [&](const google::protobuf::FieldDescriptor& field,
                                        std::string& value) {
    const std::string& name = field.name();
    if (name == "order_id" || name == "order_ids") found |= order_ids.contains(value);
    if (name == "customer_id") found |= !customer_id.empty() && value == customer_id;
    if (crypto::IsPersonal(field)) {
      found |= phone.size() >= kMinPhoneChars && absl::StrContains(value, phone);
      found |= !email.empty() && absl::StrContains(absl::AsciiStrToLower(value), email);
    }
    return absl::OkStatus();
  }).IgnoreError();
  return found;
}

absl::StatusOr<SweepCount> SweepRecords(
    Database& db, const RecordTable& table,
    absl::FunctionRef<absl::StatusOr<RecordAction>(google::protobuf::Message& record,
                                                   const std::string& order_id)>
        decide) {
  SweepCount total;
  RowKey after{table.integer_key};
  for (bool first = true;; first = false) {
    SweepCount page;
    size_t rows_read = 0;
    RowKey last = after;
    OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
      page = SweepCount();
      OMS_ASSIGN_OR_RETURN(std::vector<PageRow> rows, ReadPage(s, table, after, first));
      rows_read = rows.size();
      for (const PageRow& row : rows) {
        last = row.key;
        ++page.scanned;
        OMS_ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> record,
                             NewRecord(table, row.type));
        if (record == nullptr) continue;
        if (!record->ParseFromString(row.body)) {
          return absl::DataLossError(absl::StrCat("a record of ", table.table, " is corrupt"));
        }
        OMS_ASSIGN_OR_RETURN(RecordAction action, decide(*record, row.order_id));
        if (action == RecordAction::kKeep) continue;
        OMS_ASSIGN_OR_RETURN(int64_t applied, Apply(s, table, row, action, *record));
        page.changed += applied;
      }
      return absl::OkStatus();
    }));
    total.scanned += page.scanned;
    total.changed += page.changed;
    if (rows_read < static_cast<size_t>(kPageRows)) return total;
    after = last;
  }
}

absl::StatusOr<SweepCount> EraseCustomerRecords(Database& db, const RecordTable& table,
                                                const CustomerMatch& customer,
                                                RecordAction erase_or_delete) {
  return SweepRecords(db, table,
                      [&](google::protobuf::Message& record,
                          const std::string& order_id) -> absl::StatusOr<RecordAction> {
                        OMS_RETURN_IF_ERROR(crypto::OpenPersonalData(record));
                        if (!customer.order_ids.contains(order_id) && !customer.Matches(record)) {
                          return RecordAction::kKeep;
                        }
                        if (erase_or_delete == RecordAction::kDelete) return RecordAction::kDelete;
                        return crypto::ErasePersonalData(record) > 0 ? RecordAction::kRewrite
                                                                     : RecordAction::kKeep;
                      });
}

absl::StatusOr<SweepCount> HashClearValues(Session& s, const std::string& table,
                                           const std::string& column) {
  SweepCount count;
  std::vector<std::string> clear;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      absl::StrCat("SELECT DISTINCT ", column, " FROM ", table, " WHERE ", column, " != ''"), {},
      [&](const Rows& row) {
        ++count.scanned;
        if (!absl::StartsWith(row.Text(0), "h1:")) clear.push_back(row.Text(0));
        return absl::OkStatus();
      }));
  if (crypto::DataProtection::Keys() == nullptr) return count;
  for (const std::string& value : clear) {
    OMS_ASSIGN_OR_RETURN(int64_t changed, s.Exec(absl::StrCat("UPDATE ", table, " SET ", column,
                                                              " = ? WHERE ", column, " = ?"),
                                                 {crypto::LookupKey(value), value}));
    count.changed += changed;
  }
  return count;
}

absl::StatusOr<SweepCount> ResealRecords(Database& db, const RecordTable& table) {
  return SweepRecords(
      db, table,
      [&](google::protobuf::Message& record, const std::string&) -> absl::StatusOr<RecordAction> {
        // As stored: a change exactly when a value is in clear or under an
        // older key.
        OMS_ASSIGN_OR_RETURN(bool sealed, crypto::SealPersonalData(record));
        return sealed ? RecordAction::kRewrite : RecordAction::kKeep;
      });
}

}  // namespace oms
