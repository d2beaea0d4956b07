#include "platform/security/audit_log_service.h"

#include "platform/security/request_limits.h"

namespace oms {

grpc::Status AuditLogService::ListAuditLog(grpc::ServerContext*,
                                           const security::v1::ListAuditLogRequest* request,
                                           security::v1::ListAuditLogResponse* response) {
  return Serve(*request, response, [&] { return log_->List(*request); });
}

}  // namespace oms
