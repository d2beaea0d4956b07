#include "notify_svc/notify_personal_data.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oms/notify/v1/notify.pb.h"
#include "platform/base/status.h"
#include "platform/crypto/data_keys.h"
#include "platform/crypto/data_protection.h"

namespace oms::notify {
namespace {

// digests' primary key as one text.
constexpr char kDigestKey[] = "recipient || ' ' || channel || ' ' || window_end_us";

RecordTable MessageRecords() {
  return {.table = "messages",
          .key = "message_id",
          .body = "body",
          .prototype = &v1::Message::default_instance()};
}

bool Mentions(const CustomerMatch& customer, absl::string_view text) {
  return (customer.phone.size() >= 6 && absl::StrContains(text, customer.phone)) ||
         (!customer.email.empty() &&
          absl::StrContains(absl::AsciiStrToLower(text), customer.email));
}

// The customer's messages, found through their records (opened).
absl::StatusOr<absl::flat_hash_set<std::string>> CustomerMessages(Database& db,
                                                                  const CustomerMatch& customer) {
  absl::flat_hash_set<std::string> ids;
  OMS_RETURN_IF_ERROR(SweepRecords(db, MessageRecords(),
                                   [&](google::protobuf::Message& record,
                                       const std::string&) -> absl::StatusOr<RecordAction> {
                                     OMS_RETURN_IF_ERROR(crypto::OpenPersonalData(record));
                                     if (customer.Matches(record)) {
                                       ids.insert(static_cast<v1::Message&>(record).message_id());
                                     }
                                     return RecordAction::kKeep;
                                   })
                          .status());
  return ids;
}

// Rows of `sql` (a key, then sealed or clear texts with `contexts`) that mention the customer.
absl::StatusOr<std::vector<std::string>> RowsMentioning(Session& s, const std::string& sql,
                                                        const std::vector<std::string>& contexts,
                                                        const CustomerMatch& customer) {
  std::vector<std::string> keys;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, {}, [&](const Rows& row) -> absl::Status {
    for (size_t i = 0; i < contexts.size(); ++i) {
      OMS_ASSIGN_OR_RETURN(std::string text, crypto::OpenText(row.Text(i + 1), contexts[i]));
      if (Mentions(customer, text)) {
        keys.push_back(row.Text(0));
        break;
      }
    }
    return absl::OkStatus();
  }));
  return keys;
}

absl::StatusOr<int64_t> DeleteEach(Session& s, const std::string& sql,
                                   const std::vector<std::string>& keys) {
  int64_t deleted = 0;
  for (const std::string& key : keys) {
    OMS_ASSIGN_OR_RETURN(int64_t n, s.Exec(sql, {key}));
    deleted += n;
  }
  return deleted;
}

// Contacts of the customer's orders, their waiting digests and inbox items. Opt-outs stay:
// a keyed hash that keeps them from being contacted again.
absl::StatusOr<int64_t> EraseSideTables(Database& db, const CustomerMatch& customer) {
  OMS_ASSIGN_OR_RETURN(absl::flat_hash_set<std::string> messages, CustomerMessages(db, customer));
  int64_t erased = 0;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    erased = 0;
    std::vector<std::string> orders(customer.order_ids.begin(), customer.order_ids.end());
    OMS_ASSIGN_OR_RETURN(std::vector<std::string> contacts,
                         RowsMentioning(s, "SELECT order_id, phone, email FROM contacts",
                                        {"contacts.phone", "contacts.email"}, customer));
    orders.insert(orders.end(), contacts.begin(), contacts.end());
    OMS_ASSIGN_OR_RETURN(int64_t n,
                         DeleteEach(s, "DELETE FROM contacts WHERE order_id = ?", orders));
    erased += n;
    OMS_ASSIGN_OR_RETURN(
        std::vector<std::string> digests,
        RowsMentioning(
            s, absl::StrCat("SELECT ", kDigestKey, ", address, recipient_sealed FROM digests"),
            {"digests.address", "digests.recipient"}, customer));
    OMS_ASSIGN_OR_RETURN(
        n, DeleteEach(s, absl::StrCat("DELETE FROM digests WHERE ", kDigestKey, " = ?"), digests));
    erased += n;
    std::vector<std::string> inbox(messages.begin(), messages.end());
    OMS_ASSIGN_OR_RETURN(n, DeleteEach(s, "DELETE FROM inbox WHERE message_id = ?", inbox));
    erased += n;
    return absl::OkStatus();
  }));
  return erased;
}

bool UnderActiveKey(const std::string& value, const crypto::DataKeys& keys) {
  return value.empty() || crypto::DataKeys::KeyIdOf(value) == keys.active_key_id();
}

// Sealed text columns under an older key (or in clear) sealed again under the active one;
// opt-outs in clear become keyed hashes.
absl::StatusOr<SweepCount> ResealSideTables(Database& db) {
  std::shared_ptr<const crypto::DataKeys> keys = crypto::DataProtection::Keys();
  SweepCount count;
  if (keys == nullptr) return count;
  OMS_RETURN_IF_ERROR(db.Transact([&](Session& s) -> absl::Status {
    count = SweepCount();
    struct Row {
      std::string key, name, phone, email;
    };
    std::vector<Row> stale;
    OMS_RETURN_IF_ERROR(
        s.ForEachRow("SELECT order_id, name, phone, email FROM contacts", {}, [&](const Rows& r) {
          ++count.scanned;
          Row row{r.Text(0), r.Text(1), r.Text(2), r.Text(3)};
          if (!UnderActiveKey(row.name, *keys) || !UnderActiveKey(row.phone, *keys) ||
              !UnderActiveKey(row.email, *keys)) {
            stale.push_back(std::move(row));
          }
          return absl::OkStatus();
        }));
    for (const Row& row : stale) {
      OMS_ASSIGN_OR_RETURN(std::string name, crypto::OpenText(row.name, "contacts.name"));
      OMS_ASSIGN_OR_RETURN(std::string phone, crypto::OpenText(row.phone, "contacts.phone"));
      OMS_ASSIGN_OR_RETURN(std::string email, crypto::OpenText(row.email, "contacts.email"));
      OMS_RETURN_IF_ERROR(
          s.Exec(
               "UPDATE contacts SET name = ?, phone = ?, email = ? WHERE order_id = ?",
               {crypto::SealText(name, "contacts.name"), crypto::SealText(phone, "contacts.phone"),
                crypto::SealText(email, "contacts.email"), row.key})
              .status());
      ++count.changed;
    }
    OMS_ASSIGN_OR_RETURN(SweepCount opt_outs, HashClearValues(s, "opt_outs", "contact"));
    count.changed += opt_outs.changed;
    return absl::OkStatus();
  }));
  return count;
}

}  // namespace

PersonalDataPlan NotifyPersonalData() {
  PersonalDataPlan plan;
  plan.records = {
      {MessageRecords()},
      {{.table = "recipients",
        .key = "recipient_id",
        .body = "body",
        .prototype = &v1::Recipient::default_instance()}},
  };
  plan.columns = {{"contacts, digests, inbox, opt_outs", EraseSideTables, ResealSideTables}};
  return plan;
}

}  // namespace oms::notify
