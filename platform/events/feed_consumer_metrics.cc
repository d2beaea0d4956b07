// The FeedConsumer's metrics: how far behind its source each consumer is.
#include "absl/time/clock.h"
#include "platform/events/feed_consumer.h"

namespace oms {
namespace {

int64_t EventMicros(const events::v1::Event& event) {
  return event.occurred_at().seconds() * 1000000 + event.occurred_at().nanos() / 1000;
}

}  // namespace

void FeedConsumer::NoteReceived(const events::v1::Event& event) {
  int64_t seen = received_seq_.load(std::memory_order_relaxed);
  while (event.seq() > seen && !received_seq_.compare_exchange_weak(seen, event.seq())) {
  }
  if (event.seq() > applied_seq_.load(std::memory_order_relaxed)) {
    int64_t none = 0;
    waiting_since_micros_.compare_exchange_strong(none, EventMicros(event));
  }
}

void FeedConsumer::NoteApplied(const std::vector<events::v1::Event>& events) {
  static metrics::CounterFamily* applied = metrics::Registry::Global().Counter(
      "oms_feed_consumer_events_total", "Events a consumer received and applied.", {"source"});
  static metrics::HistogramFamily* delay = metrics::Registry::Global().Histogram(
      "oms_feed_consumer_delay_seconds",
      "Time from an event's commit at its source to its application here.", {"source"});
  const int64_t now = absl::ToUnixMicros(absl::Now());
  for (const events::v1::Event& event : events) {
    NoteReceived(event);
    if (event.seq() > applied_seq_.load(std::memory_order_relaxed)) {
      applied_seq_.store(event.seq(), std::memory_order_relaxed);
    }
    delay->Observe({source_}, static_cast<double>(now - EventMicros(event)) / 1e6);
  }
  applied->Add({source_}, static_cast<double>(events.size()));
  if (received_seq_.load() <= applied_seq_.load()) waiting_since_micros_.store(0);
}

void FeedConsumer::CollectMetrics(metrics::Sample& sample) const {
  const int64_t applied = applied_seq_.load(), received = received_seq_.load();
  const int64_t waiting_since = waiting_since_micros_.load();
  sample.Gauge("oms_feed_consumer_position", "Sequence number of the last event applied.",
               static_cast<double>(applied), {{"source", source_}});
  sample.Gauge("oms_feed_consumer_lag_events", "Events received from the source, not yet applied.",
               static_cast<double>(received > applied ? received - applied : 0),
               {{"source", source_}});
  double lag_seconds = 0;
  if (received > applied && waiting_since > 0) {
    lag_seconds = static_cast<double>(absl::ToUnixMicros(absl::Now()) - waiting_since) / 1e6;
  }
  sample.Gauge("oms_feed_consumer_lag_seconds",
               "Age of the oldest event received from the source and not yet applied.", lag_seconds,
               {{"source", source_}});
}

}  // namespace oms
