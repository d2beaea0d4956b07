#include "platform/metrics/registry.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace oms::metrics {
namespace {

std::string FormatValue(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.9g", value);
}

std::string LabelText(const std::vector<std::string>& names, const LabelValues& values,
                      const std::string& extra = "") {
  std::string text;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&text, text.empty() ? "" : ",", names[i], "=\"", EscapeLabelValue(values[i]),
                    "\"");
  }
  if (!extra.empty()) absl::StrAppend(&text, text.empty() ? "" : ",", extra);
  return text.empty() ? "" : absl::StrCat("{", text, "}");
}

void Header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  absl::StrAppend(&out, "# HELP ", name, " ", EscapeLabelValue(help), "\n# TYPE ", name, " ", type,
                  "\n");
}

}  // namespace

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const std::vector<double>& LatencyBounds() {
  static const auto* bounds = new std::vector<double>{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *bounds;
}

CounterFamily::CounterFamily(std::string name, std::string help, std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)) {}

void CounterFamily::Add(const LabelValues& values, double amount) {
  absl::MutexLock lock(&mu_);
  values_[values] += amount;
}

double CounterFamily::Value(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::Render(std::string& out) const {
  absl::MutexLock lock(&mu_);
  if (values_.empty()) return;
  Header(out, name_, help_, "counter");
  for (const auto& [values, value] : values_) {
    absl::StrAppend(&out, name_, LabelText(labels_, values), " ", FormatValue(value), "\n");
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      bounds_(std::move(bounds)) {}

void HistogramFamily::Observe(const LabelValues& values, double value) {
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  absl::MutexLock lock(&mu_);
  Series& series = series_[values];
  if (series.buckets.empty()) series.buckets.assign(bounds_.size(), 0);
  if (bucket < bounds_.size()) ++series.buckets[bucket];
  ++series.count;
  series.sum += value;
}

uint64_t HistogramFamily::Count(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

void HistogramFamily::Render(std::string& out) const {
  absl::MutexLock lock(&mu_);
  if (series_.empty()) return;
  Header(out, name_, help_, "histogram");
  for (const auto& [values, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      absl::StrAppend(
          &out, name_, "_bucket",
          LabelText(labels_, values, absl::StrCat("le=\"", FormatValue(bounds_[i]), "\"")), " ",
          cumulative, "\n");
    }
    absl::StrAppend(&out, name_, "_bucket", LabelText(labels_, values, "le=\"+Inf\""), " ",
                    series.count, "\n");
    absl::StrAppend(&out, name_, "_sum", LabelText(labels_, values), " ", FormatValue(series.sum),
                    "\n");
    absl::StrAppend(&out, name_, "_count", LabelText(labels_, values), " ", series.count, "\n");
  }
}

void Sample::Gauge(const std::string& name, const std::string& help, double value,
                   const std::map<std::string, std::string>& labels) {
  Add(name, "gauge", help, value, labels);
}

void Sample::Counter(const std::string& name, const std::string& help, double value,
                     const std::map<std::string, std::string>& labels) {
  Add(name, "counter", help, value, labels);
}

void Sample::Add(const std::string& name, const std::string& type, const std::string& help,
                 double value, const std::map<std::string, std::string>& labels) {
  Family& family = families_[name];
  family.type = type;
  family.help = help;
  std::vector<std::string> names, values;
  for (const auto& [label, label_value] : labels) {
    names.push_back(label);
    values.push_back(label_value);
  }
  family.lines.push_back(absl::StrCat(name, LabelText(names, values), " ", FormatValue(value)));
}

std::string Sample::Render() const {
  std::string out;
  for (const auto& [name, family] : families_) {
    Header(out, name, family.help, family.type.c_str());
    for (const std::string& line : family.lines) absl::StrAppend(&out, line, "\n");
  }
  return out;
}

CollectorHandle& CollectorHandle::operator=(CollectorHandle&& other) noexcept {
  if (this != &other) {
    if (registry_ != nullptr) registry_->RemoveCollector(id_);
    registry_ = other.registry_;
    id_ = other.id_;
    other.registry_ = nullptr;
  }
  return *this;
}

CollectorHandle::~CollectorHandle() {
  if (registry_ != nullptr) registry_->RemoveCollector(id_);
}

Registry& Registry::Global() {
  static auto* registry = new Registry();
  return *registry;
}

CounterFamily* Registry::Counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<CounterFamily>& family = counters_[name];
  if (family == nullptr) family = std::make_unique<CounterFamily>(name, help, std::move(labels));
  return family.get();
}

HistogramFamily* Registry::Histogram(const std::string& name, const std::string& help,
                                     std::vector<std::string> labels,
                                     const std::vector<double>& bounds) {
  absl::MutexLock lock(&mu_);
  std::unique_ptr<HistogramFamily>& family = histograms_[name];
  if (family == nullptr) {
    family = std::make_unique<HistogramFamily>(name, help, std::move(labels), bounds);
  }
  return family.get();
}

CollectorHandle Registry::AddCollector(Collector collector) {
  absl::MutexLock lock(&collectors_mu_);
  int id = next_id_++;
  collectors_[id] = std::move(collector);
  return CollectorHandle(this, id);
}

void Registry::RemoveCollector(int id) {
  absl::MutexLock lock(&collectors_mu_);
  collectors_.erase(id);
}

std::string Registry::Render() {
  std::string out;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, family] : counters_) family->Render(out);
    for (const auto& [name, family] : histograms_) family->Render(out);
  }
  Sample sample;
  {
    absl::MutexLock lock(&collectors_mu_);
    for (const auto& [id, collector] : collectors_) collector(sample);
  }
  absl::StrAppend(&out, sample.Render());
  return out;
}

}  // namespace oms::metrics
