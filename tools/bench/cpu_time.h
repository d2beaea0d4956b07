#ifndef OMS_TOOLS_BENCH_CPU_TIME_H_
#define OMS_TOOLS_BENCH_CPU_TIME_H_

// CPU time as the benchmarks count it: user + system, in seconds.
#include <sys/resource.h>
#include <time.h>

namespace oms::bench {

// The whole process's (every thread, client and server side alike).
inline double ProcessCpuSeconds() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

// The calling thread's only.
inline double ThreadCpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

}  // namespace oms::bench

#endif  // OMS_TOOLS_BENCH_CPU_TIME_H_
