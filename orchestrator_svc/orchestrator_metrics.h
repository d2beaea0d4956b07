#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_METRICS_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_METRICS_H_

#include "platform/metrics/registry.h"
#include "platform/server/service_host.h"

namespace oms::orchestrator {

// Work in progress at scrape time: oms_workflows{stage} (orders per workflow stage) and
// oms_tickets_open{type,sla} (open exception tickets, sla="breached" once past their due
// time, else "within"). `host` must outlive the handle.
[[nodiscard]] metrics::CollectorHandle CollectOrchestratorMetrics(ServiceHost* host);

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_METRICS_H_
