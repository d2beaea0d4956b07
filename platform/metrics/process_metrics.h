#ifndef OMS_PLATFORM_METRICS_PROCESS_METRICS_H_
#define OMS_PLATFORM_METRICS_PROCESS_METRICS_H_

// The process's own figures, read from /proc at scrape time under the names Prometheus'
// client libraries use: process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_threads, process_open_fds, process_start_time_seconds.

#include "platform/metrics/registry.h"

namespace oms::metrics {

void CollectProcessMetrics(Sample& sample);

}  // namespace oms::metrics

#endif  // OMS_PLATFORM_METRICS_PROCESS_METRICS_H_
