#include "platform/server/service_host.h"

#include <sys/resource.h>

#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/events/feed_cursors.h"
#include "platform/security/call_info.h"
#include "platform/security/shared_rate_limiter.h"
#include "platform/server/store_metrics.h"
#include "platform/storage/open_database.h"

namespace oms {

ServiceHost::ServiceHost(ServiceHostOptions options)
    : options_(std::move(options)), started_at_(options_.clock->Now()), ids_(options_.clock) {}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Open(ServiceHostOptions options) {
  auto host = std::unique_ptr<ServiceHost>(new ServiceHost(std::move(options)));
  OMS_ASSIGN_OR_RETURN(host->db_, OpenDatabase(host->options_.db_path, host->options_.db_options));
  std::vector<Migrations> all = {
      {"outbox", &Outbox::Migrations()},
      {"idempotency", &Idempotency::Migrations()},
      {"feed_cursors", &FeedCursorMigrations()},
      {"audit", &AuditLog::Migrations()},
      {"rate_limits", &SharedRateLimiter::Migrations()},
  };
  all.insert(all.end(), host->options_.migrations.begin(), host->options_.migrations.end());
  for (const Migrations& m : all) {
    OMS_RETURN_IF_ERROR(host->db_->Migrate(m.component, *m.statements));
  }
  host->commits_ = std::make_unique<CommitSignal>(host->db_.get());
  host->outbox_ = std::make_unique<Outbox>(host->db_.get(), host->options_.name,
                                           host->options_.clock, &host->ids_, host->commits_.get());
  host->idempotency_ = std::make_unique<Idempotency>(host->db_.get(), host->options_.clock);
  host->audit_ = std::make_unique<AuditLog>(host->db_.get(), host->options_.clock);
  host->audit_->Attach();
  host->store_metrics_ = CollectStoreMetrics(host->db_.get(), host->outbox_.get());
  return host;
}

std::string ServiceHost::peer(const std::string& service) const {
  auto it = options_.peers.find(service);
  return it == options_.peers.end() ? "" : it->second;
}

absl::StatusOr<common::v1::ServiceInfo> ServiceHost::Describe() {
  common::v1::ServiceInfo info;
  info.set_service(options_.name);
  info.set_version(kOmsVersion);
  info.set_store_path(db_->path());
  OMS_ASSIGN_OR_RETURN(auto versions, db_->SchemaVersions());
  for (const auto& [component, version] : versions) {
    (*info.mutable_schema_versions())[component] = version;
  }
  OMS_ASSIGN_OR_RETURN(int64_t last_seq, outbox_->LastSeq());
  info.set_last_event_seq(last_seq);
  *info.mutable_started_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(started_at_));
  for (const std::string& capability : options_.capabilities) info.add_capabilities(capability);
  info.set_commits(db_->commits());
  info.set_calls_served(auth::CallsServed());
  rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    info.set_cpu_micros((usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * int64_t{1000000} +
                        usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  }
  info.mutable_peers()->insert(options_.peers.begin(), options_.peers.end());
  return info;
}

}  // namespace oms
