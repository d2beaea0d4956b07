#ifndef OMS_PLATFORM_SERVER_SERVICE_INFO_H_
#define OMS_PLATFORM_SERVER_SERVICE_INFO_H_

#include "oms/common/v1/common.pb.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/server/service_host.h"

namespace oms {

// Answers GetServiceInfo, the RPC every OMS service has, from the host.
inline grpc::Status ServeServiceInfo(ServiceHost& host, common::v1::ServiceInfo* response) {
  return Reply(host.Describe(), response);
}

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_SERVICE_INFO_H_
