#include "platform/storage/postgres_lease.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/storage/postgres_libpq.h"

namespace oms {

// One job's lock on the shared lease connection.
class PgLease : public JobLease {
 public:
  PgLease(PgLeases* leases, std::string key, int64_t generation)
      : leases_(leases), key_(std::move(key)), generation_(generation) {}
  ~PgLease() override { leases_->Release(key_, generation_); }
  bool held() override { return leases_->Held(generation_); }

 private:
  PgLeases* const leases_;
  const std::string key_;
  const int64_t generation_;
};

PgLeases::~PgLeases() {
  absl::MutexLock lock(&mu_);
  Drop();
}

void PgLeases::Drop() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
  held_.clear();
}

absl::StatusOr<std::string> PgLeases::KeySql(absl::string_view name) {
  char* literal = PQescapeLiteral(conn_, name.data(), name.size());
  if (literal == nullptr) return absl::InvalidArgumentError(PQerrorMessage(conn_));
  std::string key = AdvisoryKey(absl::StrCat("'job/' || ", literal));
  PQfreemem(literal);
  return key;
}

absl::StatusOr<std::unique_ptr<JobLease>> PgLeases::TryLease(absl::string_view name) {
  absl::MutexLock lock(&mu_);
  if (conn_ != nullptr && PQstatus(conn_) != CONNECTION_OK) Drop();
  if (conn_ == nullptr) {
    OMS_ASSIGN_OR_RETURN(conn_, ConnectTo(target_));
    ++generation_;  // locks of an earlier connection died with it
  }
  OMS_ASSIGN_OR_RETURN(std::string key, KeySql(name));
  if (held_.count(key) > 0) return nullptr;
  const std::string sql = absl::StrCat("SELECT pg_try_advisory_lock(", key, ")");
  Result result(PQexec(conn_, sql.c_str()));
  if (!Succeeded(result.get())) {
    absl::Status error = PgError(conn_, result.get(), sql);
    Drop();
    return error;
  }
  if (absl::string_view(PQgetvalue(result.get(), 0, 0)) != "t") return nullptr;
  held_.insert(key);
  return std::make_unique<PgLease>(this, key, generation_);
}

bool PgLeases::Held(int64_t generation) {
  absl::MutexLock lock(&mu_);
  if (conn_ == nullptr || generation != generation_) return false;
  Result result(PQexec(conn_, "SELECT 1"));
  if (Succeeded(result.get()) && PQstatus(conn_) == CONNECTION_OK) return true;
  Drop();  // every lease on it is lost; the next TryLease connects afresh
  return false;
}

void PgLeases::Release(const std::string& key, int64_t generation) {
  absl::MutexLock lock(&mu_);
  if (conn_ == nullptr || generation != generation_) return;
  held_.erase(key);
  const std::string sql = absl::StrCat("SELECT pg_advisory_unlock(", key, ")");
  Result result(PQexec(conn_, sql.c_str()));
  if (!Succeeded(result.get())) Drop();  // the server drops the session's locks with it
}

}  // namespace oms
