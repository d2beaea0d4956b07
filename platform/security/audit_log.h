#ifndef OMS_PLATFORM_SECURITY_AUDIT_LOG_H_
#define OMS_PLATFORM_SECURITY_AUDIT_LOG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oms/security/v1/security.pb.h"
#include "platform/base/clock.h"
#include "platform/security/call_info.h"
#include "platform/storage/database.h"

namespace oms {

// Every service's record of who changed what: one entry per committed write transaction of
// a call, written inside that transaction (so a change and its entry exist together or not
// at all), and one per failed write or refused call. Entries hold ids, never request bodies
// or keys; error details are masked. Thread-safe.
class AuditLog {
 public:
  AuditLog(Database* db, const Clock* clock) : db_(db), clock_(clock) {}

  static const std::vector<Migration>& Migrations();

  // Installs RecordChange as the store's before-commit hook.
  void Attach();
  // Inside a write transaction: the entry for the current call, if a call is being served.
  absl::Status RecordChange(Session& s);
  // Its own transaction: a call that failed (or was refused before reaching its handler).
  void RecordFailure(const auth::CallInfo& call, const std::string& outcome,
                     const std::string& detail);

  absl::StatusOr<security::v1::ListAuditLogResponse> List(
      const security::v1::ListAuditLogRequest& request);

 private:
  absl::Status Insert(Session& s, const auth::CallInfo& call, const std::string& outcome,
                      const std::string& detail);

  Database* db_;
  const Clock* clock_;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_AUDIT_LOG_H_
