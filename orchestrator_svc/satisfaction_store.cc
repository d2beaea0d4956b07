#include "orchestrator_svc/satisfaction_store.h"

#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator::store {

absl::Status AddFeedbackRequest(Session& s, const std::string& token, const std::string& order_id,
                                const std::string& ticket_id, absl::Time at) {
  return s
      .Exec(
          "INSERT INTO feedback_requests(token, order_id, ticket_id, created_us, answered)"
          " VALUES(?, ?, ?, ?, 0)",
          {token, order_id, ticket_id, absl::ToUnixMicros(at)})
      .status();
}

absl::StatusOr<std::optional<FeedbackRequestRow>> FindFeedbackRequest(Session& s,
                                                                      absl::string_view token) {
  std::optional<FeedbackRequestRow> found;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT order_id, ticket_id, answered FROM feedback_requests WHERE token = ?",
                   {token}, [&](const Rows& r) {
                     found = FeedbackRequestRow{r.Text(0), r.Text(1), r.Int(2) != 0};
                     return absl::OkStatus();
                   }));
  return found;
}

absl::Status MarkFeedbackAnswered(Session& s, absl::string_view token) {
  return s.Exec("UPDATE feedback_requests SET answered = 1 WHERE token = ?", {token}).status();
}

absl::Status InsertFeedback(Session& s, const v1::Feedback& f) {
  return s
      .Exec(
          "INSERT INTO feedback(feedback_id, order_id, ticket_id, created_us, body)"
          " VALUES(?, ?, ?, ?, ?)",
          {f.feedback_id(), f.order_id(), f.ticket_id(), ProtoMicros(f.submitted_at()),
           SqlArg::Blob(SerializeProto(f))})
      .status();
}

absl::StatusOr<std::vector<v1::Feedback>> ListFeedback(Session& s, const std::string& order_id,
                                                       const std::string& ticket_id) {
  if (!order_id.empty()) {
    return QueryProtos<v1::Feedback>(
        s, "SELECT body FROM feedback WHERE order_id = ? ORDER BY created_us, feedback_id",
        {order_id});
  }
  return QueryProtos<v1::Feedback>(
      s, "SELECT body FROM feedback WHERE ticket_id = ? ORDER BY created_us, feedback_id",
      {ticket_id});
}

absl::Status SaveCompensation(Session& s, const v1::Compensation& c) {
  return s
      .Exec(
          "INSERT INTO compensations(compensation_id, ticket_id, order_id, created_us, body)"
          " VALUES(?, ?, ?, ?, ?) ON CONFLICT(compensation_id) DO UPDATE SET body = excluded.body",
          {c.compensation_id(), c.ticket_id(), c.order_id(), ProtoMicros(c.created_at()),
           SqlArg::Blob(SerializeProto(c))})
      .status();
}

absl::StatusOr<std::optional<v1::Compensation>> FindCompensation(Session& s, absl::string_view id) {
  return QueryProto<v1::Compensation>(s, "SELECT body FROM compensations WHERE compensation_id = ?",
                                      {id});
}

absl::StatusOr<std::vector<v1::Compensation>> ListCompensations(Session& s,
                                                                const std::string& ticket_id,
                                                                const std::string& order_id) {
  if (!ticket_id.empty()) {
    return QueryProtos<v1::Compensation>(
        s,
        "SELECT body FROM compensations WHERE ticket_id = ? ORDER BY created_us, compensation_id",
        {ticket_id});
  }
  return QueryProtos<v1::Compensation>(
      s, "SELECT body FROM compensations WHERE order_id = ? ORDER BY created_us, compensation_id",
      {order_id});
}

}  // namespace oms::orchestrator::store
