#include "platform/server/store_metrics.h"

#include <filesystem>
#include <string>

namespace oms {
namespace {

double FileSize(const std::string& path) {
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<double>(size);
}

double PostgresDatabaseSize(Database& db) {
  int64_t size = 0;
  absl::Status read = db.Read([&](Session& s) {
    return s.ForEachRow("SELECT pg_database_size(current_database())", {}, [&](const Rows& row) {
      size = row.Int(0);
      return absl::OkStatus();
    });
  });
  return read.ok() ? static_cast<double>(size) : 0;
}

}  // namespace

metrics::CollectorHandle CollectStoreMetrics(Database* db, Outbox* outbox) {
  return metrics::Registry::Global().AddCollector([db, outbox](metrics::Sample& sample) {
    if (db->engine() == Engine::kSqlite) {
      sample.Gauge("oms_store_size_bytes", "Size of the store's database.", FileSize(db->path()));
      sample.Gauge("oms_store_wal_size_bytes", "Size of the store's write-ahead log file.",
                   FileSize(db->path() + "-wal"));
      sample.Counter("oms_store_commit_groups_total",
                     "COMMITs of the store, each of one or more write transactions (group commit).",
                     static_cast<double>(db->commit_groups()));
      sample.Counter("oms_store_wal_syncs_total",
                     "fsyncs of the write-ahead log for durable commits (one covers every commit "
                     "made before it started).",
                     static_cast<double>(db->wal_syncs()));
    } else {
      sample.Gauge("oms_store_size_bytes", "Size of the store's database.",
                   PostgresDatabaseSize(*db));
    }
    sample.Gauge("oms_store_fault",
                 "1 once the store has failed in a way only a restart clears (a failed fsync).",
                 db->fault().ok() ? 0 : 1);
    if (absl::StatusOr<int64_t> last = outbox->LastSeq(); last.ok()) {
      sample.Gauge("oms_outbox_last_sequence", "Sequence number of the newest event in the feed.",
                   static_cast<double>(*last));
    }
  });
}

}  // namespace oms
