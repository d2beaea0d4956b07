#ifndef OMS_PLATFORM_SERVER_PERSONAL_RECORDS_SERVICE_H_
#define OMS_PLATFORM_SERVER_PERSONAL_RECORDS_SERVICE_H_

// oms.privacy.v1.PersonalRecords, served by every service for its own store: a customer's
// personal values erased, and every stored value sealed again under the active data key.
// The orchestrator's PersonalData calls it on every service.

#include <string>

#include "oms/privacy/v1/privacy.grpc.pb.h"
#include "platform/security/access_policy.h"
#include "platform/storage/database.h"
#include "platform/storage/personal_records.h"

namespace oms {

class PersonalRecordsService final : public privacy::v1::PersonalRecords::Service {
 public:
  PersonalRecordsService(std::string service, Database* db, PersonalDataPlan plan);

  // The work itself, for the orchestrator's own store.
  absl::StatusOr<privacy::v1::ErasureReport> Erase(
      const privacy::v1::EraseCustomerRecordsRequest& request);
  // FAILED_PRECONDITION, sweeping nothing, when `request.key_id` is set and is not the key
  // this service seals with; with `check_only`, answers that key and sweeps nothing.
  absl::StatusOr<privacy::v1::ResealReport> Reseal(
      const privacy::v1::ResealPersonalDataRequest& request);

  grpc::Status EraseCustomerRecords(grpc::ServerContext* context,
                                    const privacy::v1::EraseCustomerRecordsRequest* request,
                                    privacy::v1::ErasureReport* response) override;
  grpc::Status ResealRecords(grpc::ServerContext* context,
                             const privacy::v1::ResealPersonalDataRequest* request,
                             privacy::v1::ResealReport* response) override;

 private:
  void ForgetOldVersions();

  std::string service_;
  Database* db_;
  PersonalDataPlan plan_;
};

// SERVICE principals (the orchestrator) and ADMIN.
const auth::AccessPolicy& PersonalRecordsAccess();

// The service for a binary's ServiceParts::services.
struct NamedService;
NamedService PersonalRecordsPart(std::unique_ptr<PersonalRecordsService> service);

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_PERSONAL_RECORDS_SERVICE_H_
