#include "tools/loadgen/driver.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/time/clock.h"

namespace oms::loadgen {
namespace {

struct Phase {
  absl::Time start;
  absl::Time end;     // InfiniteFuture() when bounded by count
  int64_t count = 0;  // 0: bounded by time
  bool record = false;
};

void RunPhase(const DriveOptions& options, const Phase& phase, const Operation& operation,
              std::atomic<int64_t>& seq, std::atomic<int64_t>& done,
              std::vector<Recorder>& recorders) {
  std::atomic<int64_t> index{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < options.concurrency; ++w) {
    workers.emplace_back([&, w] {
      Recorder scratch;
      Recorder& recorder = phase.record ? recorders[w] : scratch;
      while (true) {
        int64_t i = index.fetch_add(1);
        if (phase.count > 0 && i >= phase.count) break;
        absl::Time due = absl::Now();
        if (options.rate > 0) {
          due = phase.start + absl::Seconds(i / options.rate);
          if (due >= phase.end) break;
          absl::SleepFor(due - absl::Now());  // no-op when already late
        }
        if (absl::Now() >= phase.end) break;
        operation(w, seq.fetch_add(1), recorder);
        done.fetch_add(1);
        recorder.Record("op", absl::Now() - due);
      }
    });
  }
  for (std::thread& t : workers) t.join();
}

}  // namespace

DriveResult Drive(const DriveOptions& options, const Operation& operation) {
  std::atomic<int64_t> seq{0};
  std::atomic<int64_t> done{0};
  std::vector<Recorder> recorders(options.concurrency);
  if (options.warmup > absl::ZeroDuration()) {
    Phase warmup{absl::Now(), absl::Now() + options.warmup, 0, false};
    RunPhase(options, warmup, operation, seq, done, recorders);
  }
  Phase measured;
  measured.start = absl::Now();
  measured.end = options.count > 0 ? absl::InfiniteFuture() : measured.start + options.duration;
  measured.count = options.count;
  measured.record = true;
  DriveResult result;
  RunPhase(options, measured, operation, seq, done, recorders);
  result.elapsed = absl::Now() - measured.start;
  result.offered_rate = options.rate;
  for (const Recorder& r : recorders) result.recorder.Merge(r);
  auto ops = result.recorder.rpcs().find("op");
  result.operations = ops == result.recorder.rpcs().end() ? 0 : ops->second.latencies_us.size();
  result.all_operations = done.load();
  return result;
}

}  // namespace oms::loadgen
