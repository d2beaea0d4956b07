#include "platform/storage/postgres_libpq.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/storage/libpq_loader.h"

namespace oms {

absl::Status PgError(PGconn* conn, const PGresult* result, absl::string_view what, bool* retry) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  message = absl::StrCat(what, ": ", message);
  if (state == nullptr || PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(message);
  }
  absl::string_view code(state);
  if (code == "40001" || code == "40P01") {
    if (retry != nullptr) *retry = true;
    return absl::AbortedError(message);
  }
  if (code == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(code, "23")) return absl::FailedPreconditionError(message);
  if (absl::StartsWith(code, "08") || code == "57P01" || code == "57P02" || code == "57P03") {
    return absl::UnavailableError(message);
  }
  if (absl::StartsWith(code, "53")) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

bool Succeeded(const PGresult* result) {
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

std::string AdvisoryKey(absl::string_view name_sql) {
  return absl::StrCat("hashtextextended(current_schema() || '/' || ", name_sql, ", 0)");
}

absl::StatusOr<PGconn*> ConnectTo(const std::string& target) {
  OMS_RETURN_IF_ERROR(libpq::Load());
  // Defaults first: what the target itself says wins.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "oms", target.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return absl::ResourceExhaustedError("libpq could not allocate");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("connect to PostgreSQL: ", message));
  }
  return conn;
}

}  // namespace oms
