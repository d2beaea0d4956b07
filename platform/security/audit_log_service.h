#ifndef OMS_PLATFORM_SECURITY_AUDIT_LOG_SERVICE_H_
#define OMS_PLATFORM_SECURITY_AUDIT_LOG_SERVICE_H_

// The oms.security.v1.AuditLog RPC every service serves over its own audit log.

#include "oms/security/v1/security.grpc.pb.h"
#include "platform/security/audit_log.h"

namespace oms {

class AuditLogService final : public security::v1::AuditLog::Service {
 public:
  explicit AuditLogService(AuditLog* log) : log_(log) {}
  grpc::Status ListAuditLog(grpc::ServerContext* context,
                            const security::v1::ListAuditLogRequest* request,
                            security::v1::ListAuditLogResponse* response) override;

 private:
  AuditLog* log_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_AUDIT_LOG_SERVICE_H_
