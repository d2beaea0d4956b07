#ifndef OMS_PLATFORM_SERVER_STORE_METRICS_H_
#define OMS_PLATFORM_SERVER_STORE_METRICS_H_

#include "platform/events/outbox.h"
#include "platform/metrics/registry.h"
#include "platform/storage/database.h"

namespace oms {

// The store's figures read at scrape time: oms_store_size_bytes, oms_store_wal_size_bytes
// (SQLite's -wal file; PostgreSQL's WAL is the cluster's, watched there),
// oms_outbox_last_sequence (the feed position consumers lag behind). `db` and `outbox`
// must outlive the handle.
[[nodiscard]] metrics::CollectorHandle CollectStoreMetrics(Database* db, Outbox* outbox);

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_STORE_METRICS_H_
