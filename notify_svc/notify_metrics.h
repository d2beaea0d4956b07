#ifndef OMS_NOTIFY_SVC_NOTIFY_METRICS_H_
#define OMS_NOTIFY_SVC_NOTIFY_METRICS_H_

#include "platform/metrics/registry.h"
#include "platform/server/service_host.h"

namespace oms::notify {

// The delivery queue at scrape time: oms_notify_queue_messages{channel,status} (QUEUED,
// FAILED awaiting a retry, SENDING) and oms_notify_queue_oldest_seconds{channel}, how long
// the oldest of them has waited. Send outcomes are counted by the courier
// (oms_notify_send_attempts_total). `host` must outlive the handle.
[[nodiscard]] metrics::CollectorHandle CollectNotifyMetrics(ServiceHost* host);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_NOTIFY_METRICS_H_
