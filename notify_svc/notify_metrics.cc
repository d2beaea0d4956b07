#include "notify_svc/notify_metrics.h"

#include <map>
#include <string>

#include "oms/notify/v1/notify.pb.h"

namespace oms::notify {

metrics::CollectorHandle CollectNotifyMetrics(ServiceHost* host) {
  return metrics::Registry::Global().AddCollector([host](metrics::Sample& sample) {
    const int64_t now_us = absl::ToUnixMicros(host->clock().Now());
    std::map<std::string, double> oldest;  // per channel, seconds
    absl::Status read = host->db().Read([&](Session& s) {
      // The messages_due index serves this: only undelivered statuses are read.
      return s.ForEachRow(
          "SELECT channel, status, COUNT(*), MIN(created_us) FROM messages "
          "WHERE status IN (?, ?, ?) GROUP BY channel, status",
          {int64_t{v1::Message::QUEUED}, int64_t{v1::Message::FAILED},
           int64_t{v1::Message::SENDING}},
          [&](const Rows& row) {
            std::string channel = v1::Channel_Name(static_cast<v1::Channel>(row.Int(0)));
            sample.Gauge("oms_notify_queue_messages", "Messages waiting to be delivered.",
                         static_cast<double>(row.Int(2)),
                         {{"channel", channel},
                          {"status", v1::Message::Status_Name(
                                         static_cast<v1::Message::Status>(row.Int(1)))}});
            double waited = static_cast<double>(now_us - row.Int(3)) / 1e6;
            if (waited > oldest[channel]) oldest[channel] = waited;
            return absl::OkStatus();
          });
    });
    if (!read.ok()) return;
    for (const auto& [channel, seconds] : oldest) {
      sample.Gauge("oms_notify_queue_oldest_seconds",
                   "How long the oldest undelivered message of a channel has waited.", seconds,
                   {{"channel", channel}});
    }
  });
}

}  // namespace oms::notify
