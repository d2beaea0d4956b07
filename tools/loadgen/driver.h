#ifndef OMS_TOOLS_LOADGEN_DRIVER_H_
#define OMS_TOOLS_LOADGEN_DRIVER_H_

#include <cstdint>
#include <functional>

#include "absl/time/time.h"
#include "tools/loadgen/latency_stats.h"

namespace oms::loadgen {

struct DriveOptions {
  int concurrency = 8;
  // Operations per second across all workers; 0 runs closed-loop (each worker starts its
  // next operation when the last one ends).
  double rate = 0;
  absl::Duration duration = absl::Seconds(10);
  int64_t count = 0;                         // stop after this many operations instead (when > 0)
  absl::Duration warmup = absl::Seconds(2);  // run, but record nothing
};

// One operation of a scenario: its RPCs, each recorded under its own name. `seq` is unique
// across workers and phases.
using Operation = std::function<void(int worker, int64_t seq, Recorder& recorder)>;

struct DriveResult {
  Recorder recorder;           // measured phase only; "op" rows are whole operations
  absl::Duration elapsed;      // of the measured phase
  int64_t operations = 0;      // measured
  int64_t all_operations = 0;  // warm-up included
  double offered_rate = 0;     // what was asked for (0: closed loop)
};

// Runs `operation` on `concurrency` threads: warm-up first, then the measured phase. In
// rate mode operation i is due at start + i / rate and its "op" latency counts from then,
// so time spent waiting behind slow calls is not hidden.
DriveResult Drive(const DriveOptions& options, const Operation& operation);

}  // namespace oms::loadgen

#endif  // OMS_TOOLS_LOADGEN_DRIVER_H_
