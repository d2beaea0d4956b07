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
    } else {
      sample.Gauge("oms_store_size_bytes", "Size of the store's database.",
                   PostgresDatabaseSize(*db));
    }
    if (absl::StatusOr<int64_t> last = outbox->LastSeq(); last.ok()) {
      sample.Gauge("oms_outbox_last_sequence", "Sequence number of the newest event in the feed.",
                   static_cast<double>(*last));
    }
  });
}

}  // namespace oms
