#ifndef OMS_PLATFORM_INFO_ONLY_SERVICE_H_
#define OMS_PLATFORM_INFO_ONLY_SERVICE_H_

#include "oms/common/v1/common.pb.h"
#include "platform/service_host.h"
#include "platform/status.h"

namespace oms {

// Answers GetServiceInfo from the host.
inline grpc::Status ServeServiceInfo(ServiceHost& host, common::v1::ServiceInfo* response) {
  return Reply(host.Describe(), response);
}

// A service whose only RPC so far is GetServiceInfo: the binaries whose domain RPCs arrive
// in later issues serve this, so they claim nothing they do not do. Thread-safe.
template <typename GeneratedService>
class InfoOnlyService final : public GeneratedService {
 public:
  explicit InfoOnlyService(ServiceHost* host) : host_(host) {}

  grpc::Status GetServiceInfo(grpc::ServerContext*, const common::v1::GetServiceInfoRequest*,
                              common::v1::ServiceInfo* response) override {
    return ServeServiceInfo(*host_, response);
  }

 private:
  ServiceHost* host_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_INFO_ONLY_SERVICE_H_
