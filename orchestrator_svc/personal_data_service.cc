#include "orchestrator_svc/personal_data_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"

namespace oms::orchestrator {
namespace {

using privacy::v1::ErasureReport;
using privacy::v1::ResealReport;

absl::Status Validate(const privacy::v1::EraseCustomerDataRequest& request) {
  FieldErrors errors;
  const privacy::v1::CustomerIdentity& who = request.customer();
  int given = !who.phone().empty() + !who.email().empty() + !who.customer_id().empty();
  if (given != 1) {
    errors.Add("customer", "give exactly one of phone, email and customer_id");
  }
  CheckEmail(who.email(), "customer.email", errors);
  if (!who.phone().empty() && NormalizePhone(who.phone()).size() < 6) {
    errors.Add("customer.phone", "is too short to name one customer");
  }
  if (errors.Required(request.reason(), "reason"))
    errors.MaxLength(request.reason(), 200, "reason");
  return errors.ToStatus();
}

void Merge(ErasureReport& into, const ErasureReport& part) {
  for (const auto& erased : part.erased()) *into.add_erased() = erased;
  into.set_total_records(into.total_records() + part.total_records());
}

}  // namespace

PersonalDataService::PersonalDataService(ServiceHost* host, PersonalRecordsService* own,
                                         Stubs peers, absl::Duration deadline)
    : host_(host), own_(own), peers_(std::move(peers)), deadline_(deadline) {}

absl::StatusOr<ErasureReport> PersonalDataService::EraseEverywhere(
    const privacy::v1::EraseCustomerDataRequest& request) {
  privacy::v1::EraseCustomerRecordsRequest ask;
  *ask.mutable_customer() = request.customer();
  ErasureReport report;
  // order_svc first: its lookup columns find the customer's orders, which the other stores
  // know only by id.
  std::vector<std::string> order_first = {"order_svc"};
  for (const auto& [name, stub] : peers_) {
    if (name != "order_svc") order_first.push_back(name);
  }
  for (const std::string& name : order_first) {
    auto peer = peers_.find(name);
    if (peer == peers_.end()) continue;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    ErasureReport part;
    grpc::Status status = peer->second->EraseCustomerRecords(&context, ask, &part);
    if (!status.ok()) {
      absl::Status failed = FromGrpcStatus(status);
      return absl::Status(failed.code(), absl::StrCat(name, ": ", failed.message(),
                                                      " (nothing is lost: call again with the "
                                                      "same key to finish the erasure)"));
    }
    if (name == "order_svc") {
      *ask.mutable_order_ids() = part.order_ids();
      *report.mutable_order_ids() = part.order_ids();
    }
    Merge(report, part);
  }
  OMS_ASSIGN_OR_RETURN(ErasureReport own, own_->Erase(ask));
  Merge(report, own);
  return report;
}

absl::StatusOr<ErasureReport> PersonalDataService::Erase(
    const privacy::v1::EraseCustomerDataRequest& request) {
  OMS_RETURN_IF_ERROR(Validate(request));
  ErasureReport report;
  OMS_ASSIGN_OR_RETURN(
      bool seen,
      host_->idempotency().Seen("EraseCustomerData", request.idempotency_key(), request, &report));
  if (seen) return report;
  OMS_ASSIGN_OR_RETURN(report, EraseEverywhere(request));
  // The audit entry names the request's reference, never the customer.
  auth::NoteTarget(absl::StrCat("erasure: ", request.reason()));
  ErasureReport stored;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run("EraseCustomerData", request.idempotency_key(),
                                               request, &stored, [&](Session&) {
                                                 stored = report;
                                                 return absl::OkStatus();
                                               }));
  return stored;
}

// Every service must seal with the same key, or an older key cannot be retired after the
// sweep: one still writing with it would go on making values only it opens.
static absl::Status SameActiveKey(const std::map<std::string, std::string>& active) {
  std::string first;
  for (const auto& [service, key] : active) {
    if (first.empty()) first = key;
    if (key != first) {
      std::string seen;
      for (const auto& [s, k] : active) absl::StrAppend(&seen, seen.empty() ? "" : ", ", s, " ", k);
      return absl::FailedPreconditionError(absl::StrCat(
          "the services seal with different data keys (", seen,
          "): the key file has not reached them all yet (--key_reload_interval); call again"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ResealReport> PersonalDataService::ResealEverywhere(
    const privacy::v1::ResealPersonalDataRequest& ask, std::map<std::string, std::string>& active) {
  ResealReport report;
  auto merge = [&](const std::string& name, const ResealReport& part) {
    for (const auto& table : part.tables()) *report.add_tables() = table;
    report.set_total_resealed(report.total_resealed() + part.total_resealed());
    active[name] = part.active_key_id();
  };
  for (const auto& [name, stub] : peers_) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
    ResealReport part;
    grpc::Status status = stub->ResealRecords(&context, ask, &part);
    if (!status.ok()) {
      absl::Status failed = FromGrpcStatus(status);
      return absl::Status(failed.code(), absl::StrCat(name, ": ", failed.message()));
    }
    merge(name, part);
  }
  OMS_ASSIGN_OR_RETURN(ResealReport own, own_->Reseal(ask));
  merge("orchestrator_svc", own);
  return report;
}

absl::StatusOr<ResealReport> PersonalDataService::Reseal(
    const privacy::v1::ResealPersonalDataRequest& request) {
  // Every store is asked for its key before any sweeps, so a refused call has changed nothing
  // and the report of the call that succeeds counts every row it sealed again.
  privacy::v1::ResealPersonalDataRequest check;
  check.set_check_only(true);
  std::map<std::string, std::string> active;
  OMS_RETURN_IF_ERROR(ResealEverywhere(check, active).status());
  OMS_RETURN_IF_ERROR(SameActiveKey(active));
  const std::string key = active.begin()->second;
  if (!request.key_id().empty() && key != request.key_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the services seal with data key ", key, ", not key_id ", request.key_id(),
                     ": the key file has not reached them yet; call again"));
  }
  ResealReport report;
  if (!request.check_only()) {
    // Named: a store whose key changed since the check refuses rather than sweep under it.
    privacy::v1::ResealPersonalDataRequest sweep;
    sweep.set_key_id(key);
    OMS_ASSIGN_OR_RETURN(report, ResealEverywhere(sweep, active));
  }
  report.set_active_key_id(key);
  return report;
}

grpc::Status PersonalDataService::EraseCustomerData(
    grpc::ServerContext*, const privacy::v1::EraseCustomerDataRequest* request,
    ErasureReport* response) {
  return Reply(Erase(*request), response);
}

grpc::Status PersonalDataService::ResealPersonalData(
    grpc::ServerContext*, const privacy::v1::ResealPersonalDataRequest* request,
    ResealReport* response) {
  return Reply(Reseal(*request), response);
}

const auth::AccessPolicy& PersonalDataAccess() {
  // ADMIN only (the table lists who besides ADMIN may call).
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.privacy.v1.PersonalData", {
                                         {"EraseCustomerData", auth::Access::kWrite, {}},
                                         {"ResealPersonalData", auth::Access::kWrite, {}},
                                     });
  return *policy;
}

}  // namespace oms::orchestrator
