#include "orchestrator_svc/orchestrator_metrics.h"

#include "oms/orchestrator/v1/orchestrator.pb.h"

namespace oms::orchestrator {

metrics::CollectorHandle CollectOrchestratorMetrics(ServiceHost* host) {
  return metrics::Registry::Global().AddCollector([host](metrics::Sample& sample) {
    const int64_t now_us = absl::ToUnixMicros(host->clock().Now());
    host->db()
        .Read([&](Session& s) -> absl::Status {
          absl::Status workflows = s.ForEachRow(
              "SELECT stage, COUNT(*) FROM workflows GROUP BY stage", {}, [&](const Rows& row) {
                sample.Gauge("oms_workflows", "Orders per workflow stage.",
                             static_cast<double>(row.Int(1)),
                             {{"stage", v1::Stage_Name(static_cast<v1::Stage>(row.Int(0)))}});
                return absl::OkStatus();
              });
          if (!workflows.ok()) return workflows;
          return s.ForEachRow(
              "SELECT type, CASE WHEN sla_due_us < ? THEN 'breached' ELSE 'within' END, "
              "COUNT(*) FROM tickets WHERE status = ? GROUP BY 1, 2",
              {now_us, int64_t{v1::ExceptionTicket::OPEN}}, [&](const Rows& row) {
                sample.Gauge(
                    "oms_tickets_open", "Open exception tickets by type and SLA state.",
                    static_cast<double>(row.Int(2)),
                    {{"type", v1::ExceptionType_Name(static_cast<v1::ExceptionType>(row.Int(0)))},
                     {"sla", row.Text(1)}});
                return absl::OkStatus();
              });
        })
        .IgnoreError();  // a scrape during shutdown or a store outage shows fewer series
  });
}

}  // namespace oms::orchestrator
