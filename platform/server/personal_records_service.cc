#include "platform/server/personal_records_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/grpc_status.h"
#include "platform/base/log.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/crypto/data_keys.h"
#include "platform/crypto/data_protection.h"
#include "platform/server/service_main.h"

namespace oms {
namespace {

using privacy::v1::ErasureReport;
using privacy::v1::ResealReport;

CustomerMatch MatchOf(const privacy::v1::EraseCustomerRecordsRequest& request) {
  CustomerMatch match;
  match.phone = NormalizePhone(request.customer().phone());
  match.email = absl::AsciiStrToLower(request.customer().email());
  match.customer_id = request.customer().customer_id();
  match.order_ids.insert(request.order_ids().begin(), request.order_ids().end());
  return match;
}

void Count(ErasureReport& report, const std::string& service, const std::string& table,
           int64_t records) {
  if (records == 0) return;
  privacy::v1::ErasedRecords& erased = *report.add_erased();
  erased.set_service(service);
  erased.set_table(table);
  erased.set_records(records);
  report.set_total_records(report.total_records() + records);
}

void Count(ResealReport& report, const std::string& service, const std::string& table,
           const SweepCount& count) {
  privacy::v1::ResealedRecords& tables = *report.add_tables();
  tables.set_service(service);
  tables.set_table(table);
  tables.set_resealed(count.changed);
  tables.set_scanned(count.scanned);
  report.set_total_resealed(report.total_resealed() + count.changed);
}

}  // namespace

PersonalRecordsService::PersonalRecordsService(std::string service, Database* db,
                                               PersonalDataPlan plan)
    : service_(std::move(service)), db_(db), plan_(std::move(plan)) {
  plan_.records.push_back({OutboxRecords(), RecordAction::kRewrite});
  // A stored answer without its personal values would be a wrong answer to a retry.
  plan_.records.push_back({IdempotencyRecords(), RecordAction::kDelete});
}

absl::StatusOr<ErasureReport> PersonalRecordsService::Erase(
    const privacy::v1::EraseCustomerRecordsRequest& request) {
  CustomerMatch match = MatchOf(request);
  if (match.phone.empty() && match.email.empty() && match.customer_id.empty()) {
    return absl::InvalidArgumentError("customer: give a phone, an email or a customer_id");
  }
  ErasureReport report;
  if (plan_.find_orders) {
    OMS_ASSIGN_OR_RETURN(std::vector<std::string> found, plan_.find_orders(*db_, match));
    match.order_ids.insert(found.begin(), found.end());
  }
  std::vector<std::string> order_ids(match.order_ids.begin(), match.order_ids.end());
  std::sort(order_ids.begin(), order_ids.end());
  for (const std::string& id : order_ids) report.add_order_ids(id);
  // Columns first: an order's lookup hashes go while the records still name the order.
  for (const PersonalColumns& columns : plan_.columns) {
    OMS_ASSIGN_OR_RETURN(int64_t erased, columns.erase(*db_, match));
    Count(report, service_, columns.table, erased);
  }
  for (const PersonalDataPlan::Records& records : plan_.records) {
    OMS_ASSIGN_OR_RETURN(SweepCount count,
                         oms::EraseCustomerRecords(*db_, records.table, match, records.erase));
    Count(report, service_, records.table.table, count.changed);
  }
  ForgetOldVersions();
  return report;
}

absl::StatusOr<ResealReport> PersonalRecordsService::Reseal(
    const privacy::v1::ResealPersonalDataRequest& request) {
  std::shared_ptr<const crypto::DataKeys> keys = crypto::DataProtection::Keys();
  if (keys == nullptr) {
    return absl::FailedPreconditionError(
        service_ + " has no data keys (--data_key_file): nothing can be sealed");
  }
  // Checked before any row is read: a sweep under another key than the one named would leave
  // rows under a key the caller is about to retire.
  if (!request.key_id().empty() && keys->active_key_id() != request.key_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat(service_, " seals with data key ", keys->active_key_id(), ", not key_id ",
                     request.key_id(), ": the key file has not reached it yet; call again"));
  }
  ResealReport report;
  report.set_active_key_id(keys->active_key_id());
  if (request.check_only()) return report;
  for (const PersonalColumns& columns : plan_.columns) {
    OMS_ASSIGN_OR_RETURN(SweepCount count, columns.reseal(*db_));
    Count(report, service_, columns.table, count);
  }
  for (const PersonalDataPlan::Records& records : plan_.records) {
    OMS_ASSIGN_OR_RETURN(SweepCount count, oms::ResealRecords(*db_, records.table));
    Count(report, service_, records.table.table, count);
  }
  ForgetOldVersions();
  return report;
}

void PersonalRecordsService::ForgetOldVersions() {
  // The erasure itself is done; a reader holding an old snapshot can only delay this until the
  // next checkpoint, so it is reported rather than failing the call.
  if (absl::Status forgotten = db_->ForgetOldVersions(); !forgotten.ok()) {
    LogWarning("old row versions stay until the next checkpoint: ", forgotten.ToString());
  }
}

grpc::Status PersonalRecordsService::EraseCustomerRecords(
    grpc::ServerContext*, const privacy::v1::EraseCustomerRecordsRequest* request,
    ErasureReport* response) {
  return Reply(Erase(*request), response);
}

grpc::Status PersonalRecordsService::ResealRecords(
    grpc::ServerContext*, const privacy::v1::ResealPersonalDataRequest* request,
    ResealReport* response) {
  return Reply(Reseal(*request), response);
}

const auth::AccessPolicy& PersonalRecordsAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.privacy.v1.PersonalRecords",
      {
          {"EraseCustomerRecords", auth::Access::kWrite, {security::v1::SERVICE}},
          {"ResealRecords", auth::Access::kWrite, {security::v1::SERVICE}},
      });
  return *policy;
}

NamedService PersonalRecordsPart(std::unique_ptr<PersonalRecordsService> service) {
  return {std::move(service), "oms.privacy.v1.PersonalRecords", &PersonalRecordsAccess()};
}

}  // namespace oms
