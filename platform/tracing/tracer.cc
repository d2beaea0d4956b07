#include "platform/tracing/tracer.h"

#include <filesystem>
#include <fstream>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "httplib.h"
#include "platform/base/background_thread.h"
#include "platform/base/files.h"

namespace oms::tracing {
namespace {

constexpr size_t kBatch = 512;

bool ValidTarget(const std::string& target) {
  return absl::StartsWith(target, "file:") || absl::StartsWith(target, "http://");
}

absl::Status PostJson(const std::string& url, const std::string& body) {
  // "http://host:port/path"
  std::string rest = url.substr(7);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "/v1/traces" : rest.substr(slash);
  httplib::Client client(absl::StrCat("http://", authority));
  client.set_connection_timeout(2);
  client.set_read_timeout(5);
  httplib::Result result = client.Post(path, body, "application/json");
  if (!result) return absl::UnavailableError(absl::StrCat("trace collector ", url, " unreachable"));
  if (result->status / 100 != 2) {
    return absl::UnavailableError(absl::StrCat("trace collector answered ", result->status));
  }
  return absl::OkStatus();
}

}  // namespace

Tracer& Tracer::Global() {
  static auto* tracer = new Tracer();
  return *tracer;
}

absl::Status Tracer::Configure(TracerOptions options) {
  if (!options.export_target.empty() && !ValidTarget(options.export_target)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--trace_export: \"", options.export_target,
                     "\" is neither file:PATH nor http://host:port/v1/traces"));
  }
  if (options.sample_rate < 0 || options.sample_rate > 1) {
    return absl::InvalidArgumentError("--trace_sample_rate must be between 0 and 1");
  }
  Shutdown();
  absl::MutexLock lock(&mu_);
  options_ = std::move(options);
  exporting_ = !options_.export_target.empty();
  stopping_ = false;
  if (exporting_) thread_ = std::thread([this] { ExportLoop(); });
  return absl::OkStatus();
}

void Tracer::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  absl::MutexLock lock(&mu_);
  exporting_ = false;
}

TraceContext Tracer::NewRoot() {
  static thread_local absl::BitGen gen;
  TraceContext context;
  context.trace_id = NewTraceId();
  context.span_id = NewSpanId();
  absl::MutexLock lock(&mu_);
  context.sampled = exporting_ && absl::Bernoulli(gen, options_.sample_rate);
  return context;
}

TraceContext Tracer::ChildOf(const TraceContext* parent) {
  if (parent == nullptr || !parent->valid()) return NewRoot();
  TraceContext child = *parent;
  child.span_id = NewSpanId();
  return child;
}

void Tracer::Record(Span span, bool sampled) {
  if (!sampled) return;
  absl::MutexLock lock(&mu_);
  if (!exporting_ || stopping_) return;
  if (queue_.size() >= options_.max_queued) {
    ++dropped_;
    return;
  }
  queue_.push_back(std::move(span));
}

int64_t Tracer::dropped() const {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

void Tracer::ExportLoop() {
  BecomeBackgroundThread("span export");
  while (true) {
    std::vector<Span> batch;
    bool last = false;
    {
      absl::MutexLock lock(&mu_);
      auto full_or_stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || queue_.size() >= kBatch;
      };
      mu_.AwaitWithTimeout(absl::Condition(&full_or_stopping), options_.flush_interval);
      last = stopping_;
      // At the end, everything queued goes.
      while (!queue_.empty() && (last || batch.size() < kBatch)) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!batch.empty()) {
      // A collector that is down loses this batch; tracing never holds the service back.
      Write(batch).IgnoreError();
    }
    if (last) return;
  }
}

absl::Status Tracer::Write(const std::vector<Span>& spans) {
  std::string target, service;
  int64_t max_file_bytes;
  {
    absl::MutexLock lock(&mu_);
    target = options_.export_target;
    service = options_.service;
    max_file_bytes = options_.max_file_bytes;
  }
  std::string json = OtlpJson(service, spans);
  if (absl::StartsWith(target, "http://")) return PostJson(target, json);
  return AppendToFile(target.substr(5), json, max_file_bytes);
}

absl::Status Tracer::AppendToFile(const std::string& path, const std::string& json,
                                  int64_t max_file_bytes) {
  {
    std::ofstream file(path, std::ios::app);
    file << json << "\n";
    file.flush();
    if (!file) return absl::UnavailableError("cannot write the trace file");
  }
  // Only this thread writes the file: the size is checked after each batch, not per span.
  std::error_code error;
  std::uintmax_t size = std::filesystem::file_size(path, error);
  if (max_file_bytes > 0 && !error && size > static_cast<std::uintmax_t>(max_file_bytes)) {
    return KeepAsPrevious(path);
  }
  return absl::OkStatus();
}

ScopedSpan::ScopedSpan(std::string name, Span::Kind kind, const TraceContext* parent)
    : context_(Tracer::Global().ChildOf(parent)), scope_(&context_) {
  span_.trace_id = context_.trace_id;
  span_.span_id = context_.span_id;
  if (parent != nullptr && parent->valid()) span_.parent_span_id = parent->span_id;
  span_.name = std::move(name);
  span_.kind = kind;
  span_.start = absl::Now();
}

ScopedSpan::~ScopedSpan() {
  span_.end = absl::Now();
  Tracer::Global().Record(std::move(span_), context_.sampled);
}

void ScopedSpan::SetError(const std::string& message) {
  span_.error = true;
  span_.status_message = message;
}

void ScopedSpan::AddAttribute(const std::string& key, const std::string& value) {
  span_.attributes.emplace_back(key, value);
}

}  // namespace oms::tracing
