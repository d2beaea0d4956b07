#ifndef OMS_PLATFORM_METRICS_REGISTRY_H_
#define OMS_PLATFORM_METRICS_REGISTRY_H_

// The process's metrics, rendered in Prometheus' text format (version 0.0.4) for a scrape.
// Counters and histograms are updated where things happen; gauges that are cheaper to read
// than to keep (queue depths, file sizes, open tickets) come from collectors run at scrape
// time. Label values must come from bounded sets (method names, status codes, channels),
// never from ids.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace oms::metrics {

using LabelValues = std::vector<std::string>;

// A counter per label combination: "oms_store_commits_total{result="ok"}".
class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> labels);
  void Add(const LabelValues& values, double amount = 1);
  double Value(const LabelValues& values) const;  // for tests
  void Render(std::string& out) const;

 private:
  const std::string name_, help_;
  const std::vector<std::string> labels_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> values_ ABSL_GUARDED_BY(mu_);
};

// A histogram per label combination, with fixed upper bounds (seconds, for latencies).
class HistogramFamily {
 public:
  HistogramFamily(std::string name, std::string help, std::vector<std::string> labels,
                  std::vector<double> bounds);
  void Observe(const LabelValues& values, double value);
  uint64_t Count(const LabelValues& values) const;  // for tests
  void Render(std::string& out) const;

 private:
  struct Series {
    std::vector<uint64_t> buckets;  // per bound, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  const std::string name_, help_;
  const std::vector<std::string> labels_;
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

// Where a collector writes what it read at scrape time. Samples of one name are grouped
// under one HELP/TYPE header whatever order they come in.
class Sample {
 public:
  void Gauge(const std::string& name, const std::string& help, double value,
             const std::map<std::string, std::string>& labels = {});
  void Counter(const std::string& name, const std::string& help, double value,
               const std::map<std::string, std::string>& labels = {});
  std::string Render() const;

 private:
  struct Family {
    std::string type, help;
    std::vector<std::string> lines;
  };
  void Add(const std::string& name, const std::string& type, const std::string& help, double value,
           const std::map<std::string, std::string>& labels);
  std::map<std::string, Family> families_;
};

using Collector = std::function<void(Sample&)>;

// Latency bounds in seconds, from half a millisecond to ten seconds.
const std::vector<double>& LatencyBounds();

class Registry;

// Removes its collector when it goes (so what the collector reads may go after it).
class CollectorHandle {
 public:
  CollectorHandle() = default;
  CollectorHandle(Registry* registry, int id) : registry_(registry), id_(id) {}
  CollectorHandle(CollectorHandle&& other) noexcept { *this = std::move(other); }
  CollectorHandle& operator=(CollectorHandle&& other) noexcept;
  ~CollectorHandle();

 private:
  Registry* registry_ = nullptr;
  int id_ = 0;
};

// Every metric of the process. Families live as long as the process. Thread-safe.
class Registry {
 public:
  static Registry& Global();

  // Get-or-create by name; the same name must always come with the same labels.
  CounterFamily* Counter(const std::string& name, const std::string& help,
                         std::vector<std::string> labels);
  HistogramFamily* Histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> labels,
                             const std::vector<double>& bounds = LatencyBounds());
  [[nodiscard]] CollectorHandle AddCollector(Collector collector);
  void RemoveCollector(int id);

  // The text a scrape of /metrics answers.
  std::string Render();

 private:
  absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<CounterFamily>> counters_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::unique_ptr<HistogramFamily>> histograms_ ABSL_GUARDED_BY(mu_);
  // Held while collectors run, so a removed collector is never running afterwards.
  absl::Mutex collectors_mu_;
  std::map<int, Collector> collectors_ ABSL_GUARDED_BY(collectors_mu_);
  int next_id_ ABSL_GUARDED_BY(collectors_mu_) = 1;
};

// A label value or help text escaped for the text format.
std::string EscapeLabelValue(const std::string& value);

}  // namespace oms::metrics

#endif  // OMS_PLATFORM_METRICS_REGISTRY_H_
