#ifndef OMS_ORCHESTRATOR_SVC_PERSONAL_DATA_SERVICE_H_
#define OMS_ORCHESTRATOR_SVC_PERSONAL_DATA_SERVICE_H_

// oms.privacy.v1.PersonalData for the whole suite: EraseCustomerData asks order_svc for the
// customer's orders, then every other service and the orchestrator's own store to erase the
// customer from them; ResealPersonalData runs every store's reseal sweep. ADMIN only; the
// erasure is idempotent by key and audited in every store it changes.

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "oms/privacy/v1/privacy.grpc.pb.h"
#include "platform/server/personal_records_service.h"
#include "platform/server/service_host.h"

namespace oms::orchestrator {

class PersonalDataService final : public privacy::v1::PersonalData::Service {
 public:
  using Stubs = std::map<std::string, std::unique_ptr<privacy::v1::PersonalRecords::StubInterface>>;
  // `peers` by service name; order_svc's is asked first. `own` is the orchestrator's store.
  PersonalDataService(ServiceHost* host, PersonalRecordsService* own, Stubs peers,
                      absl::Duration deadline);

  absl::StatusOr<privacy::v1::ErasureReport> Erase(
      const privacy::v1::EraseCustomerDataRequest& request);
  // Asks every store for the key it seals with, refuses unless they agree (and agree with
  // `request.key_id` when set), then sweeps every store unless `request.check_only`.
  absl::StatusOr<privacy::v1::ResealReport> Reseal(
      const privacy::v1::ResealPersonalDataRequest& request);

  grpc::Status EraseCustomerData(grpc::ServerContext* context,
                                 const privacy::v1::EraseCustomerDataRequest* request,
                                 privacy::v1::ErasureReport* response) override;
  grpc::Status ResealPersonalData(grpc::ServerContext* context,
                                  const privacy::v1::ResealPersonalDataRequest* request,
                                  privacy::v1::ResealReport* response) override;

 private:
  absl::StatusOr<privacy::v1::ErasureReport> EraseEverywhere(
      const privacy::v1::EraseCustomerDataRequest& request);
  // `ask` of every peer and the own store; the key each answered into `active` by service.
  absl::StatusOr<privacy::v1::ResealReport> ResealEverywhere(
      const privacy::v1::ResealPersonalDataRequest& ask,
      std::map<std::string, std::string>& active);

  ServiceHost* host_;
  PersonalRecordsService* own_;
  Stubs peers_;
  absl::Duration deadline_;
};

const auth::AccessPolicy& PersonalDataAccess();

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_PERSONAL_DATA_SERVICE_H_
