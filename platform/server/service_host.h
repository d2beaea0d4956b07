#ifndef OMS_PLATFORM_SERVER_SERVICE_HOST_H_
#define OMS_PLATFORM_SERVER_SERVICE_HOST_H_

// What a service's domain code stands on (store, outbox, idempotency, audit log, clock,
// ids, peers), with no gRPC in it; the binaries and the in-process tests open it alike.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/outbox.h"
#include "platform/metrics/registry.h"
#include "platform/security/audit_log.h"
#include "platform/security/key_store.h"
#include "platform/storage/database.h"
#include "platform/storage/idempotency.h"

namespace oms {

// One component's numbered schema migrations (see Database::Migrate).
struct Migrations {
  std::string component;
  const std::vector<Migration>* statements;
};

struct ServiceHostOptions {
  std::string name;     // "order_svc"
  std::string db_path;  // SQLite file, or ":memory:" in tests
  const Clock* clock = Clock::Real();
  std::vector<Migrations> migrations;        // the service's own; platform ones are added
  std::vector<std::string> capabilities;     // reported by GetServiceInfo
  std::map<std::string, std::string> peers;  // service name -> address, e.g. "order_svc"
  DatabaseOptions db_options;
  // The API keys calls are verified with (the binaries'; null in in-process tests), for
  // what the service serves besides RPCs (the dashboard's login).
  const auth::KeyStore* keys = nullptr;
};

// What every service's domain code stands on: its store (opened and migrated, with the
// outbox, idempotency and feed-cursor tables), clock, id generator and identity. Used by
// the binaries and, unchanged, by in-process tests. Thread-safe.
class ServiceHost {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Open(ServiceHostOptions options);

  const std::string& name() const { return options_.name; }
  Database& db() { return *db_; }
  Outbox& outbox() { return *outbox_; }
  // Wakes live streams on every commit to the store.
  CommitSignal& commits() { return *commits_; }
  Idempotency& idempotency() { return *idempotency_; }
  // Who changed what: written inside every write transaction of a call.
  AuditLog& audit() { return *audit_; }
  IdGenerator& ids() { return ids_; }
  const Clock& clock() const { return *options_.clock; }
  // The address of another service ("order_svc"), or "" when not configured.
  std::string peer(const std::string& service) const;
  const auth::KeyStore* keys() const { return options_.keys; }

  // Identity, schema versions and outbox position, for GetServiceInfo.
  absl::StatusOr<common::v1::ServiceInfo> Describe();

 private:
  explicit ServiceHost(ServiceHostOptions options);

  ServiceHostOptions options_;
  absl::Time started_at_;
  IdGenerator ids_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<CommitSignal> commits_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Idempotency> idempotency_;
  std::unique_ptr<AuditLog> audit_;
  metrics::CollectorHandle store_metrics_;  // last: removed before what it reads goes
};

// The build's version string, reported by every service.
inline constexpr char kOmsVersion[] = "0.1.0";

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_SERVICE_HOST_H_
