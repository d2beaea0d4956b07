#include "platform/metrics/process_metrics.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace oms::metrics {
namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces), so that
// index 0 is field 3 ("state") of proc(5).
std::vector<std::string> StatFields() {
  std::ifstream file("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  size_t end_of_name = text.rfind(')');
  if (end_of_name == std::string::npos) return {};
  std::istringstream rest(text.substr(end_of_name + 2));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

double BootTimeSeconds() {
  std::ifstream file("/proc/stat");
  for (std::string key; file >> key;) {
    if (key == "btime") {
      double seconds = 0;
      file >> seconds;
      return seconds;
    }
  }
  return 0;
}

int OpenFileDescriptors() {
  std::error_code error;
  int count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  return count;
}

}  // namespace

void CollectProcessMetrics(Sample& sample) {
  std::vector<std::string> stat = StatFields();
  // proc(5) field numbers, minus 3: utime 14, stime 15, num_threads 20, starttime 22,
  // vsize 23, rss 24 (pages).
  if (stat.size() < 22) return;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  sample.Counter("process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                 (std::stod(stat[11]) + std::stod(stat[12])) / ticks);
  sample.Gauge("process_threads", "Threads of the process.", std::stod(stat[17]));
  sample.Gauge("process_start_time_seconds", "Start of the process, seconds since the epoch.",
               BootTimeSeconds() + std::stod(stat[19]) / ticks);
  sample.Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.",
               std::stod(stat[20]));
  sample.Gauge("process_resident_memory_bytes", "Resident memory size in bytes.",
               std::stod(stat[21]) * page);
  sample.Gauge("process_open_fds", "Open file descriptors.", OpenFileDescriptors());
}

}  // namespace oms::metrics
