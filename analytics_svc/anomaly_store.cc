#include "analytics_svc/anomaly_store.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics::anomaly_store {

absl::Status Insert(Session& s, const v1::Anomaly& a) {
  return s
      .Exec(
          "INSERT INTO anomalies(anomaly_id, kind, metric, dimension, subject, order_id, state,"
          " detected_us, body) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {a.anomaly_id(), static_cast<int>(a.kind()), a.metric(), a.dimension(), a.subject(),
           a.order_id(), static_cast<int>(a.state()), ProtoMicros(a.detected_at()),
           SqlArg::Blob(SerializeProto(a))})
      .status();
}

absl::Status Update(Session& s, const v1::Anomaly& a) {
  OMS_ASSIGN_OR_RETURN(
      int64_t changed,
      s.Exec("UPDATE anomalies SET state = ?, body = ? WHERE anomaly_id = ?",
             {static_cast<int>(a.state()), SqlArg::Blob(SerializeProto(a)), a.anomaly_id()}));
  if (changed != 1) return absl::NotFoundError(absl::StrCat("anomaly ", a.anomaly_id()));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Anomaly>> Find(Session& s, const std::string& anomaly_id) {
  return QueryProto<v1::Anomaly>(s, "SELECT body FROM anomalies WHERE anomaly_id = ?",
                                 {anomaly_id});
}

absl::StatusOr<std::optional<v1::Anomaly>> FindOpen(Session& s, const std::string& metric,
                                                    const std::string& dimension,
                                                    const std::string& subject) {
  return QueryProto<v1::Anomaly>(
      s,
      "SELECT body FROM anomalies WHERE metric = ? AND dimension = ? AND subject = ?"
      " AND state = ? LIMIT 1",
      {metric, dimension, subject, static_cast<int>(v1::Anomaly::OPEN)});
}

absl::StatusOr<std::vector<v1::Anomaly>> OfOrder(Session& s, const std::string& order_id) {
  return QueryProtos<v1::Anomaly>(
      s, "SELECT body FROM anomalies WHERE order_id = ? ORDER BY detected_us, anomaly_id",
      {order_id});
}

absl::StatusOr<std::vector<v1::Anomaly>> List(Session& s, const v1::ListAnomaliesRequest& request) {
  int limit = request.limit() > 0 ? std::min(request.limit(), 1000) : 100;
  return QueryProtos<v1::Anomaly>(
      s,
      "SELECT body FROM anomalies WHERE (? = 0 OR state = ?) AND (? = 0 OR kind = ?)"
      " ORDER BY detected_us DESC, anomaly_id DESC LIMIT ?",
      {static_cast<int>(request.state()), static_cast<int>(request.state()),
       static_cast<int>(request.kind()), static_cast<int>(request.kind()), limit});
}

absl::StatusOr<std::vector<v1::Anomaly>> WithoutTicket(Session& s) {
  OMS_ASSIGN_OR_RETURN(
      std::vector<v1::Anomaly> open,
      QueryProtos<v1::Anomaly>(s, "SELECT body FROM anomalies WHERE state = ? AND kind <> ?",
                               {static_cast<int>(v1::Anomaly::OPEN), static_cast<int>(v1::ORDER)}));
  std::vector<v1::Anomaly> out;
  for (v1::Anomaly& a : open) {
    if (a.ticket_id().empty()) out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<int64_t> CountOpen(Session& s) {
  int64_t count = 0;
  OMS_RETURN_IF_ERROR(s.ForEachRow("SELECT COUNT(*) FROM anomalies WHERE state = ?",
                                   {static_cast<int>(v1::Anomaly::OPEN)},
                                   [&](const Rows& row) -> absl::Status {
                                     count = row.Int(0);
                                     return absl::OkStatus();
                                   }));
  return count;
}

absl::Status MarkDismissed(Session& s, v1::Anomaly& anomaly, const std::string& by,
                           const std::string& reason, int64_t at_us) {
  if (anomaly.state() == v1::Anomaly::DISMISSED) return absl::OkStatus();
  anomaly.set_state(v1::Anomaly::DISMISSED);
  anomaly.set_dismissed_by(by);
  anomaly.set_dismiss_reason(reason);
  *anomaly.mutable_dismissed_at() = ToProtoTime(absl::FromUnixMicros(at_us));
  OMS_RETURN_IF_ERROR(Update(s, anomaly));
  return AddDismissal(s, anomaly.metric(), anomaly.dimension(), anomaly.subject());
}

absl::Status ReplaceBaselines(Session& s, const std::vector<v1::Baseline>& baselines) {
  OMS_RETURN_IF_ERROR(s.Exec("DELETE FROM baselines", {}).status());
  for (const v1::Baseline& b : baselines) {
    OMS_RETURN_IF_ERROR(s.Exec("INSERT INTO baselines(metric, dimension, subject, hour_of_day,"
                               " body) VALUES(?, ?, ?, ?, ?)",
                               {b.metric(), b.dimension(), b.subject(), b.hour_of_day(),
                                SqlArg::Blob(SerializeProto(b))})
                            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Baseline>> Baselines(Session& s, const std::string& metric) {
  return QueryProtos<v1::Baseline>(s,
                                   "SELECT body FROM baselines WHERE (? = '' OR metric = ?)"
                                   " ORDER BY metric, dimension, subject, hour_of_day",
                                   {metric, metric});
}

absl::StatusOr<int> Dismissals(Session& s, const std::string& metric, const std::string& dimension,
                               const std::string& subject) {
  int dismissals = 0;
  OMS_RETURN_IF_ERROR(
      s.ForEachRow("SELECT dismissals FROM anomaly_dismissals WHERE metric = ? AND dimension = ?"
                   " AND subject = ?",
                   {metric, dimension, subject}, [&](const Rows& row) -> absl::Status {
                     dismissals = static_cast<int>(row.Int(0));
                     return absl::OkStatus();
                   }));
  return dismissals;
}

absl::Status AddDismissal(Session& s, const std::string& metric, const std::string& dimension,
                          const std::string& subject) {
  return s
      .Exec(
          "INSERT INTO anomaly_dismissals(metric, dimension, subject, dismissals)"
          " VALUES(?, ?, ?, 1) ON CONFLICT(metric, dimension, subject) DO UPDATE SET"
          " dismissals = anomaly_dismissals.dismissals + 1",
          {metric, dimension, subject})
      .status();
}

}  // namespace oms::analytics::anomaly_store
