#ifndef OMS_PLATFORM_SERVER_RPC_METRICS_H_
#define OMS_PLATFORM_SERVER_RPC_METRICS_H_

#include "grpcpp/support/server_interceptor.h"

namespace oms {

// Server interceptor factory counting every call as it ends:
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method}  (histogram)
// the names and labels of the gRPC ecosystem's Prometheus interceptors. Methods a server
// does not serve are counted under grpc_method="unknown", so the label set stays bounded.
class RpcMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_RPC_METRICS_H_
