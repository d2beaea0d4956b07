#include "platform/security/audit_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/log.h"
#include "platform/base/pii_mask.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms {

const std::vector<Migration>& AuditLog::Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      // targets is " id1 id2 " so one LIKE finds an id; body is the AuditEntry.
      "CREATE TABLE audit_log ("
      "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  created_us INTEGER NOT NULL,"
      "  principal TEXT NOT NULL,"
      "  method TEXT NOT NULL,"
      "  targets TEXT NOT NULL,"
      "  outcome TEXT NOT NULL,"
      "  request_id TEXT NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE INDEX audit_log_principal ON audit_log(principal, seq);"
      "CREATE INDEX audit_log_request ON audit_log(request_id);"};
  return *migrations;
}

void AuditLog::Attach() {
  db_->SetBeforeCommit([this](Session& s) { return RecordChange(s); });
}

absl::Status AuditLog::RecordChange(Session& s) {
  const auth::CallInfo* call = auth::CurrentCall();
  if (call == nullptr) return absl::OkStatus();  // background work: its events tell the story
  return Insert(s, *call, "OK", "");
}

void AuditLog::RecordFailure(const auth::CallInfo& call, const std::string& outcome,
                             const std::string& detail) {
  auth::CallScope none(nullptr);  // this transaction is the entry itself, not a change
  absl::Status written =
      db_->Transact([&](Session& s) { return Insert(s, call, outcome, detail); });
  if (!written.ok())
    LogError("audit entry for ", call.method, " not written: ", written.ToString());
}

absl::Status AuditLog::Insert(Session& s, const auth::CallInfo& call, const std::string& outcome,
                              const std::string& detail) {
  security::v1::AuditEntry entry;
  absl::Time now = clock_->Now();
  *entry.mutable_at() = ToProtoTime(now);
  entry.set_principal(call.principal.name);
  entry.set_on_behalf_of(call.on_behalf_of);
  entry.set_method(call.method);
  for (const std::string& id : call.target_ids) entry.add_target_ids(id);
  entry.set_outcome(outcome);
  entry.set_request_id(call.request_id);
  entry.set_trace_id(call.trace.trace_id);
  entry.set_detail(MaskPersonalData(detail));
  std::string targets =
      call.target_ids.empty() ? " " : absl::StrCat(" ", absl::StrJoin(call.target_ids, " "), " ");
  return s
      .Exec(
          "INSERT INTO audit_log(created_us, principal, method, targets, outcome, request_id, "
          "body) VALUES(?, ?, ?, ?, ?, ?, ?)",
          {absl::ToUnixMicros(now), entry.principal(), entry.method(), targets, outcome,
           entry.request_id(), SqlArg::Blob(SerializeProto(entry))})
      .status();
}

absl::StatusOr<security::v1::ListAuditLogResponse> AuditLog::List(
    const security::v1::ListAuditLogRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  int64_t after = page.NumberAfter(errors).value_or(0);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  int limit = page.size();

  std::string sql = "SELECT seq, body FROM audit_log WHERE 1 = 1";
  std::vector<SqlArg> args;
  auto equal = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    absl::StrAppend(&sql, " AND ", column, " = ?");
    args.emplace_back(value);
  };
  equal("principal", request.principal());
  equal("method", request.method());
  equal("outcome", request.outcome());
  equal("request_id", request.request_id());
  std::string target_pattern;  // outlives args, which only view it
  if (!request.target_id().empty()) {
    sql += " AND targets LIKE ? ESCAPE '\\'";
    for (char c : request.target_id()) {
      if (c == '%' || c == '_' || c == '\\') target_pattern += '\\';
      target_pattern += c;
    }
    target_pattern = absl::StrCat("% ", target_pattern, " %");
    args.emplace_back(target_pattern);
  }
  if (request.has_since()) {
    sql += " AND created_us >= ?";
    args.emplace_back(ProtoMicros(request.since()));
  }
  if (request.has_until()) {
    sql += " AND created_us < ?";
    args.emplace_back(ProtoMicros(request.until()));
  }
  if (after > 0) {
    sql += " AND seq < ?";
    args.emplace_back(after);
  }
  absl::StrAppend(&sql, " ORDER BY seq DESC LIMIT ", limit + 1);

  security::v1::ListAuditLogResponse response;
  int64_t last_seq = 0;
  OMS_RETURN_IF_ERROR(db_->Read([&](Session& s) {
    return s.ForEachRow(sql, args, [&](const Rows& row) -> absl::Status {
      if (response.entries_size() == limit) {
        response.set_next_page_token(page.Token(absl::StrCat(last_seq)));
        return absl::OkStatus();
      }
      security::v1::AuditEntry* entry = response.add_entries();
      if (!entry->ParseFromString(row.Blob(1))) return absl::DataLossError("audit entry corrupt");
      last_seq = row.Int(0);
      entry->set_seq(last_seq);
      return absl::OkStatus();
    });
  }));
  return response;
}

}  // namespace oms
