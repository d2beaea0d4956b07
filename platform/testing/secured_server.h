#ifndef OMS_PLATFORM_TESTING_SECURED_SERVER_H_
#define OMS_PLATFORM_TESTING_SECURED_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "platform/security/access_policy.h"
#include "platform/security/audit_log_service.h"
#include "platform/server/grpc_server.h"
#include "platform/server/service_host.h"

namespace oms::testing {

// An in-process server that checks keys as the binaries do, with a key per principal:
// "admin", "ops", "reader", "reviewer", "support", "service", "erp" (ORDER_WRITER bound
// to channel ERP) and "web" (ORDER_WRITER bound to WEB). Audits into the host's store.
class SecuredServer {
 public:
  explicit SecuredServer(ServiceHost* host);
  void AddService(grpc::Service* service, const std::string& full_name,
                  const auth::AccessPolicy* policy);
  absl::Status Start();
  // A channel whose calls carry `principal`'s key ("nobody": no key at all).
  std::shared_ptr<grpc::Channel> Channel(const std::string& principal) const;

 private:
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<auth::KeyStore> keys_;
  std::unique_ptr<AuditLogService> audit_service_;
  std::unique_ptr<GrpcServer> server_;
};

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_SECURED_SERVER_H_
