#include "platform/metrics/registry.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platform/metrics/process_metrics.h"

namespace oms::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RegistryTest, CountersRenderInTextFormatWithEscapedLabels) {
  Registry registry;
  CounterFamily* calls = registry.Counter("test_calls_total", "Calls.", {"method", "code"});
  calls->Add({"/a.B/C", "OK"});
  calls->Add({"/a.B/C", "OK"}, 2);
  calls->Add({"say \"hi\"", "NOT_FOUND"});
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# HELP test_calls_total Calls.\n# TYPE test_calls_total counter\n"));
  EXPECT_THAT(text, HasSubstr("test_calls_total{method=\"/a.B/C\",code=\"OK\"} 3\n"));
  EXPECT_THAT(text,
              HasSubstr("test_calls_total{method=\"say \\\"hi\\\"\",code=\"NOT_FOUND\"} 1\n"));
  EXPECT_EQ(registry.Counter("test_calls_total", "Calls.", {"method", "code"}), calls);
}

TEST(RegistryTest, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry registry;
  HistogramFamily* latency =
      registry.Histogram("test_seconds", "Latency.", {"method"}, {0.01, 0.1, 1});
  latency->Observe({"m"}, 0.005);
  latency->Observe({"m"}, 0.05);
  latency->Observe({"m"}, 0.05);
  latency->Observe({"m"}, 5);
  std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE test_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("test_seconds_bucket{method=\"m\",le=\"0.01\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("test_seconds_bucket{method=\"m\",le=\"0.1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("test_seconds_bucket{method=\"m\",le=\"1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("test_seconds_bucket{method=\"m\",le=\"+Inf\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("test_seconds_sum{method=\"m\"} 5.105\n"));
  EXPECT_THAT(text, HasSubstr("test_seconds_count{method=\"m\"} 4\n"));
  EXPECT_EQ(latency->Count({"m"}), 4u);
}

TEST(RegistryTest, CollectorsRunAtScrapeAndStopWhenTheirHandleGoes) {
  Registry registry;
  int depth = 7;
  {
    CollectorHandle handle = registry.AddCollector([&depth](Sample& sample) {
      sample.Gauge("test_queue_depth", "Waiting.", depth, {{"channel", "SMS"}});
      sample.Gauge("test_queue_depth", "Waiting.", 1, {{"channel", "EMAIL"}});
    });
    std::string text = registry.Render();
    EXPECT_THAT(text, HasSubstr("# TYPE test_queue_depth gauge\n"));
    EXPECT_THAT(text, HasSubstr("test_queue_depth{channel=\"SMS\"} 7\n"));
    EXPECT_THAT(text, HasSubstr("test_queue_depth{channel=\"EMAIL\"} 1\n"));
    // One header for the name, however many samples.
    EXPECT_EQ(text.find("# TYPE test_queue_depth"), text.rfind("# TYPE test_queue_depth"));
  }
  EXPECT_THAT(registry.Render(), Not(HasSubstr("test_queue_depth")));
}

TEST(ProcessMetricsTest, ReadsThisProcessFromProc) {
  Sample sample;
  CollectProcessMetrics(sample);
  std::string text = sample.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter\n"));
  EXPECT_THAT(text, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(text, HasSubstr("process_threads "));
  EXPECT_THAT(text, HasSubstr("process_open_fds "));
  EXPECT_THAT(text, Not(HasSubstr("process_resident_memory_bytes 0\n")));
}

}  // namespace
}  // namespace oms::metrics
