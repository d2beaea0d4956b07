#ifndef OMS_PLATFORM_BASE_BACKGROUND_THREAD_H_
#define OMS_PLATFORM_BASE_BACKGROUND_THREAD_H_

// Threads that work beside the calls (feed followers and watchers, sweeps, the courier, the
// WAL checkpointer, the span exporter) carry a name, and can be made to give way to the
// threads answering calls.
//
// The name is always set: `top -H` and /proc/PID/task/*/comm then say which follower or
// sweep spends the CPU. Giving way (--background_nice above 0) runs such a thread as
// SCHED_BATCH (waking up, it never preempts a running thread) at a higher nice value (a
// smaller share while both want a core). It is off by default: measured on 2 cores it bought
// ~5% throughput at saturation but a worse p99 at 70% load, since a background thread that
// holds a store's write lock then makes the calls waiting for that lock wait for it too
// (docs/BENCHMARKS.md, "Background threads that give way").

#include "absl/strings/string_view.h"

namespace oms {

// The nice value background threads take, process-wide (--background_nice): 1-19, or 0 (the
// default) to leave them as the threads that answer calls. Set it before the threads start.
void SetBackgroundNice(int nice);
int BackgroundNice();

// Names the calling thread (as `top -H` and /proc/PID/task/*/comm show it; the first 15
// characters) and, unless the background nice is 0, lowers its priority (never raises it: a
// service started under `nice 15` keeps 15 there). Threads it starts
// afterwards inherit both. A refusal by the system is logged once and otherwise ignored: the
// thread still works, only at the usual priority.
void BecomeBackgroundThread(absl::string_view name);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_BACKGROUND_THREAD_H_
