#include "orchestrator_svc/orchestrator_store.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator::store {
namespace {

absl::StatusOr<std::vector<VersionedWorkflow>> Workflows(Session& s, const std::string& sql,
                                                         absl::Span<const SqlArg> args) {
  std::vector<VersionedWorkflow> out;
  OMS_RETURN_IF_ERROR(s.ForEachRow(sql, args, [&](const Rows& r) -> absl::Status {
    VersionedWorkflow& v = out.emplace_back();
    OMS_RETURN_IF_ERROR(ParseStoredProto(r.Blob(0), &v.workflow));
    v.version = r.Int(1);
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const auto* migrations = new std::vector<Migration>{
      "CREATE TABLE workflows ("
      "  order_id TEXT PRIMARY KEY,"
      "  stage INTEGER NOT NULL,"
      "  next_run_us INTEGER NOT NULL,"
      "  version INTEGER NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE INDEX workflows_due ON workflows(next_run_us);"
      "CREATE INDEX workflows_stage ON workflows(stage);"
      "CREATE TABLE review_rules (rule_id TEXT PRIMARY KEY, position INTEGER NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE TABLE review_decisions (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
      "  order_id TEXT NOT NULL, body BLOB NOT NULL);"
      "CREATE INDEX review_decisions_order ON review_decisions(order_id, seq);"
      "CREATE TABLE tickets ("
      "  ticket_id TEXT PRIMARY KEY,"
      "  order_id TEXT NOT NULL,"
      "  type INTEGER NOT NULL,"
      "  status INTEGER NOT NULL,"
      "  sla_due_us INTEGER NOT NULL,"
      "  created_us INTEGER NOT NULL,"
      "  body BLOB NOT NULL);"
      // One open ticket per (order, type): detections repeat, tickets do not.
      "CREATE UNIQUE INDEX tickets_open ON tickets(order_id, type) WHERE status = 1;"
      "CREATE INDEX tickets_created ON tickets(created_us);",
      "CREATE TABLE exception_rules (type INTEGER PRIMARY KEY, body BLOB NOT NULL);"
      "CREATE TABLE rotations (grp TEXT PRIMARY KEY, next INTEGER NOT NULL);"
      "CREATE TABLE returns (return_id TEXT PRIMARY KEY, order_id TEXT NOT NULL,"
      "  body BLOB NOT NULL);"
      "CREATE INDEX returns_order ON returns(order_id);"
      "ALTER TABLE tickets ADD COLUMN assignee TEXT NOT NULL DEFAULT '';",
      // Escalated tickets stay overdue in ListExceptions although escalation moves the due time.
      "ALTER TABLE tickets ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;",
      // Satisfaction (satisfaction_store.h): survey tokens, feedback, compensations.
      "CREATE TABLE feedback_requests (token TEXT PRIMARY KEY, order_id TEXT NOT NULL,"
      "  ticket_id TEXT NOT NULL, created_us INTEGER NOT NULL, answered INTEGER NOT NULL);"
      "CREATE TABLE feedback (feedback_id TEXT PRIMARY KEY, order_id TEXT NOT NULL,"
      "  ticket_id TEXT NOT NULL, created_us INTEGER NOT NULL, body BLOB NOT NULL);"
      "CREATE INDEX feedback_order ON feedback(order_id, created_us);"
      "CREATE INDEX feedback_ticket ON feedback(ticket_id, created_us);"
      "CREATE TABLE compensations (compensation_id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL,"
      "  order_id TEXT NOT NULL, created_us INTEGER NOT NULL, body BLOB NOT NULL);"
      "CREATE INDEX compensations_ticket ON compensations(ticket_id, created_us);"
      "CREATE INDEX compensations_order ON compensations(order_id, created_us);",
      // Customer profiles (customer_store.h): tags a person set, per customer key.
      "CREATE TABLE customer_tags (customer_key TEXT NOT NULL, tag TEXT NOT NULL,"
      "  body BLOB NOT NULL, PRIMARY KEY (customer_key, tag));",
  };
  return *migrations;
}

absl::StatusOr<bool> InsertWorkflow(Session& s, const v1::Workflow& w) {
  OMS_ASSIGN_OR_RETURN(int64_t inserted,
                       s.Exec("INSERT INTO workflows(order_id, stage, next_run_us, version, body)"
                              " VALUES(?, ?, ?, 1, ?) ON CONFLICT(order_id) DO NOTHING",
                              {w.order_id(), static_cast<int>(w.stage()),
                               ProtoMicros(w.next_run_at()), SqlArg::Blob(SerializeProto(w))}));
  return inserted == 1;
}

absl::StatusOr<std::optional<VersionedWorkflow>> FindWorkflow(Session& s,
                                                              absl::string_view order_id) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<VersionedWorkflow> found,
      Workflows(s, "SELECT body, version FROM workflows WHERE order_id = ?", {order_id}));
  if (found.empty()) return std::optional<VersionedWorkflow>();
  return std::optional<VersionedWorkflow>(std::move(found[0]));
}

absl::StatusOr<std::optional<StoredVersion>> WorkflowVersion(Session& s,
                                                             absl::string_view order_id) {
  std::optional<StoredVersion> stored;
  OMS_RETURN_IF_ERROR(s.ForEachRow(
      "SELECT version, stage FROM workflows WHERE order_id = ?", {order_id}, [&](const Rows& r) {
        stored = StoredVersion{r.Int(0), static_cast<v1::Stage>(r.Int(1))};
        return absl::OkStatus();
      }));
  return stored;
}

absl::Status SaveWorkflow(Session& s, const VersionedWorkflow& v) {
  OMS_ASSIGN_OR_RETURN(
      int64_t changed,
      s.Exec("UPDATE workflows SET stage = ?, next_run_us = ?, version = version + 1, body = ?"
             " WHERE order_id = ? AND version = ?",
             {static_cast<int>(v.workflow.stage()), ProtoMicros(v.workflow.next_run_at()),
              SqlArg::Blob(SerializeProto(v.workflow)), v.workflow.order_id(), v.version}));
  if (changed != 1) {
    return absl::AbortedError(absl::StrCat("workflow ", v.workflow.order_id(),
                                           " changed meanwhile; the step runs again"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<VersionedWorkflow>> DueWorkflows(Session& s, absl::Time now, int limit) {
  return Workflows(s,
                   "SELECT body, version FROM workflows WHERE next_run_us <= ?"
                   " ORDER BY next_run_us LIMIT ?",
                   {absl::ToUnixMicros(now), limit});
}

absl::StatusOr<std::vector<VersionedWorkflow>> WorkflowsInStage(Session& s, v1::Stage stage) {
  return Workflows(s, "SELECT body, version FROM workflows WHERE stage = ? ORDER BY order_id",
                   {static_cast<int>(stage)});
}

absl::Status SaveReviewRule(Session& s, const v1::ReviewRule& rule) {
  return s
      .Exec(
          "INSERT INTO review_rules(rule_id, position, body) VALUES(?, ?, ?)"
          " ON CONFLICT(rule_id) DO UPDATE SET position = excluded.position,"
          " body = excluded.body",
          {rule.rule_id(), rule.position(), SqlArg::Blob(SerializeProto(rule))})
      .status();
}

absl::StatusOr<std::vector<v1::ReviewRule>> ListReviewRules(Session& s) {
  return QueryProtos<v1::ReviewRule>(s, "SELECT body FROM review_rules ORDER BY position, rule_id",
                                     {});
}

absl::Status AddReviewDecision(Session& s, const v1::ReviewDecision& d) {
  return s
      .Exec("INSERT INTO review_decisions(order_id, body) VALUES(?, ?)",
            {d.order_id(), SqlArg::Blob(SerializeProto(d))})
      .status();
}

absl::StatusOr<std::vector<v1::ReviewDecision>> ReviewDecisions(Session& s,
                                                                absl::string_view order_id) {
  return QueryProtos<v1::ReviewDecision>(
      s, "SELECT body FROM review_decisions WHERE order_id = ? ORDER BY seq", {order_id});
}

std::string TicketKey(const std::string& order_id, const std::string& subject) {
  return order_id.empty() ? absl::StrCat("subject:", subject) : order_id;
}

absl::StatusOr<bool> InsertTicket(Session& s, const v1::ExceptionTicket& t) {
  OMS_ASSIGN_OR_RETURN(
      int64_t inserted,
      s.Exec(
          "INSERT INTO tickets(ticket_id, order_id, type, status, sla_due_us, created_us, body,"
          " assignee, escalation_level) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
          {t.ticket_id(), TicketKey(t), static_cast<int>(t.type()), static_cast<int>(t.status()),
           ProtoMicros(t.sla_due_at()), ProtoMicros(t.created_at()),
           SqlArg::Blob(SerializeProto(t)), t.assignee(), t.escalation_level()}));
  return inserted == 1;
}

absl::Status SaveTicket(Session& s, const v1::ExceptionTicket& t) {
  OMS_ASSIGN_OR_RETURN(
      int64_t changed,
      s.Exec("UPDATE tickets SET status = ?, sla_due_us = ?, body = ?, assignee = ?,"
             " escalation_level = ? WHERE ticket_id = ?",
             {static_cast<int>(t.status()), ProtoMicros(t.sla_due_at()),
              SqlArg::Blob(SerializeProto(t)), t.assignee(), t.escalation_level(), t.ticket_id()}));
  if (changed != 1) return absl::NotFoundError(absl::StrCat("ticket ", t.ticket_id()));
  return absl::OkStatus();
}

absl::StatusOr<v1::ExceptionTicket> LoadTicket(Session& s, absl::string_view ticket_id) {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionTicket> found,
                       QueryProtos<v1::ExceptionTicket>(
                           s, "SELECT body FROM tickets WHERE ticket_id = ?", {ticket_id}));
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("exception ticket \"", ticket_id, "\" does not exist"));
  }
  return found[0];
}

absl::StatusOr<std::optional<v1::ExceptionTicket>> OpenTicket(Session& s,
                                                              absl::string_view order_id,
                                                              v1::ExceptionType type) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::ExceptionTicket> found,
      QueryProtos<v1::ExceptionTicket>(
          s, "SELECT body FROM tickets WHERE order_id = ? AND type = ? AND status = 1",
          {order_id, static_cast<int>(type)}));
  if (found.empty()) return std::optional<v1::ExceptionTicket>();
  return std::optional<v1::ExceptionTicket>(found[0]);
}

absl::StatusOr<std::vector<v1::ExceptionTicket>> ListTickets(Session& s,
                                                             const v1::ListExceptionsRequest& f,
                                                             absl::Time now) {
  std::string sql = "SELECT body FROM tickets WHERE 1 = 1";
  std::vector<SqlArg> args;
  if (f.type() != v1::EXCEPTION_TYPE_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND type = ?");
    args.emplace_back(static_cast<int>(f.type()));
  }
  if (f.status() != v1::ExceptionTicket::STATUS_UNSPECIFIED) {
    absl::StrAppend(&sql, " AND status = ?");
    args.emplace_back(static_cast<int>(f.status()));
  }
  if (!f.order_id().empty()) {
    absl::StrAppend(&sql, " AND order_id = ?");
    args.emplace_back(f.order_id());
  }
  if (!f.assignee().empty()) {
    absl::StrAppend(&sql, " AND assignee = ?");
    args.emplace_back(f.assignee());
  }
  if (f.overdue_only()) {  // past the due time now, or escalated for passing an earlier one
    absl::StrAppend(&sql, " AND status = 1 AND (sla_due_us < ? OR escalation_level > 0)");
    args.emplace_back(absl::ToUnixMicros(now));
  }
  absl::StrAppend(&sql, " ORDER BY created_us, ticket_id LIMIT 1000");
  return QueryProtos<v1::ExceptionTicket>(s, sql, args);
}

absl::StatusOr<std::vector<v1::ExceptionTicket>> OverdueTickets(Session& s, absl::Time now) {
  return QueryProtos<v1::ExceptionTicket>(
      s, "SELECT body FROM tickets WHERE status = 1 AND sla_due_us < ? ORDER BY sla_due_us",
      {absl::ToUnixMicros(now)});
}

absl::Status SaveExceptionRule(Session& s, const v1::ExceptionRule& rule) {
  return s
      .Exec(
          "INSERT INTO exception_rules(type, body) VALUES(?, ?)"
          " ON CONFLICT(type) DO UPDATE SET body = excluded.body",
          {static_cast<int>(rule.type()), SqlArg::Blob(SerializeProto(rule))})
      .status();
}

absl::StatusOr<std::optional<v1::ExceptionRule>> FindExceptionRule(Session& s,
                                                                   v1::ExceptionType type) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::ExceptionRule> found,
      QueryProtos<v1::ExceptionRule>(s, "SELECT body FROM exception_rules WHERE type = ?",
                                     {static_cast<int>(type)}));
  if (found.empty()) return std::optional<v1::ExceptionRule>();
  return std::optional<v1::ExceptionRule>(found[0]);
}

absl::StatusOr<std::vector<v1::ExceptionRule>> ListExceptionRules(Session& s) {
  return QueryProtos<v1::ExceptionRule>(s, "SELECT body FROM exception_rules ORDER BY type", {});
}

absl::StatusOr<int64_t> NextInRotation(Session& s, absl::string_view group) {
  int64_t next = 0;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT next FROM rotations WHERE grp = ?", {group}, [&](const Rows& r) {
        next = r.Int(0);
        return absl::OkStatus();
      }));
  OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO rotations(grp, next) VALUES(?, ?)"
                             " ON CONFLICT(grp) DO UPDATE SET next = excluded.next",
                             {group, next + 1})
                          .status());
  return next;
}

absl::Status SaveReturn(Session& s, const v1::ReturnRecord& r) {
  return s
      .Exec(
          "INSERT INTO returns(return_id, order_id, body) VALUES(?, ?, ?)"
          " ON CONFLICT(return_id) DO UPDATE SET body = excluded.body",
          {r.return_id(), r.order_id(), SqlArg::Blob(SerializeProto(r))})
      .status();
}

absl::StatusOr<v1::ReturnRecord> LoadReturn(Session& s, absl::string_view return_id) {
  OMS_ASSIGN_OR_RETURN(std::vector<v1::ReturnRecord> found,
                       QueryProtos<v1::ReturnRecord>(
                           s, "SELECT body FROM returns WHERE return_id = ?", {return_id}));
  if (found.empty())
    return absl::NotFoundError(absl::StrCat("return \"", return_id, "\" does not exist"));
  return found[0];
}

}  // namespace oms::orchestrator::store
